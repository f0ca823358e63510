package dev.traceinsights.harness;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A child JVM (or any program) whose output goes to a log file. {@link #close()} ends the whole
 * process tree: politely first (SIGTERM lets the javaagent flush its spans), forcibly after a
 * bounded wait.
 */
public final class ChildProcess implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(ChildProcess.class.getName());
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Process process;
  private final Path log;

  private ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code command} in {@code workDir}, appending stdout and stderr to {@code log}. */
  public static ChildProcess start(
      String name, List<String> command, Map<String, String> environment, Path workDir, Path log) {
    try {
      Files.createDirectories(workDir);
      Files.createDirectories(log.toAbsolutePath().getParent());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
      builder.environment().putAll(environment);
      return new ChildProcess(name, builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name + ": " + command, e);
    }
  }

  /**
   * Waits until {@code uri} answers 200, polling; fails early with the log's tail if the process
   * exits, and after {@code timeout} otherwise.
   */
  public void awaitHttpOk(URI uri, Duration timeout) {
    try {
      await(name + " ready at " + uri)
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(250))
          .failFast(name + " exited with " + exitCode(), () -> !process.isAlive())
          .until(() -> answersOk(uri));
    } catch (ConditionTimeoutException | TerminalFailureException e) {
      throw new IllegalStateException(
          e.getMessage() + "\n--- tail of " + log + " ---\n" + tail(40), e);
    }
  }

  private static boolean answersOk(URI uri) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build();
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path log() {
    return log;
  }

  /** The whole log as lines (the process may still be writing). */
  public List<String> logLines() {
    try {
      return Files.readAllLines(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last {@code lines} lines of the log, for failure messages. */
  public String tail(int lines) {
    List<String> all = logLines();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  private String exitCode() {
    return process.isAlive() ? "(running)" : String.valueOf(process.exitValue());
  }

  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    // Children first, so none is left behind when the parent goes.
    List<ProcessHandle> descendants = process.descendants().toList();
    descendants.forEach(ProcessHandle::destroy);
    process.destroy();
    if (!waitFor(process.toHandle())) {
      logger.warning(name + " did not stop within " + STOP_TIMEOUT + ", killing it");
      descendants.forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      waitFor(process.toHandle());
    }
    descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private static boolean waitFor(ProcessHandle handle) {
    CompletableFuture<ProcessHandle> exit = handle.onExit();
    try {
      exit.get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return !handle.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The java launcher of the JVM running this code. */
  public static Path currentJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  @Override
  public String toString() {
    return "ChildProcess{" + name + ", pid=" + process.pid() + ", log=" + log + "}";
  }
}
