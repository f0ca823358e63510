package dev.traceinsights.collector.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads the collector's YAML file into dotted keys ({@code receivers.otlp.grpc.endpoint}) and lays
 * the command line's {@code --set key=value} overrides over them. Nested maps become key prefixes;
 * a list becomes one comma-separated value.
 */
public final class ConfigSource {

  /** Bounds what one file may make the parser build (a "billion laughs" file, say). */
  private static final int MAX_ALIASES = 50;

  private static final int MAX_DEPTH = 20;

  private ConfigSource() {}

  /**
   * @param file the YAML file, or null for defaults only
   * @param overrides {@code key=value} pairs, later ones winning
   */
  public static Map<String, String> load(@Nullable Path file, List<String> overrides) {
    Map<String, String> flat = new LinkedHashMap<>();
    if (file != null) {
      flatten("", read(file), flat, 0, file);
    }
    for (String override : overrides) {
      int eq = override.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException(
            "--set: '"
                + override
                + "' is not accepted; expected key=value, for example"
                + " --set exporters.otlp.endpoint=http://localhost:4317");
      }
      flat.put(override.substring(0, eq).trim(), override.substring(eq + 1).trim());
    }
    return flat;
  }

  @Nullable
  private static Object read(Path file) {
    LoadSettings settings =
        LoadSettings.builder()
            .setMaxAliasesForCollections(MAX_ALIASES)
            .setAllowDuplicateKeys(false)
            .setLabel(file.toString())
            .build();
    try (InputStream in = Files.newInputStream(file)) {
      return new Load(settings).loadFromInputStream(in);
    } catch (NoSuchFileException e) {
      throw new ConfigException("--config: no such file: " + file);
    } catch (IOException e) {
      throw new ConfigException("--config: cannot read " + file + ": " + e.getMessage());
    } catch (YamlEngineException e) {
      throw new ConfigException(
          "--config: " + file + " is not valid YAML: " + firstLine(e.getMessage()));
    }
  }

  private static void flatten(
      String prefix, @Nullable Object node, Map<String, String> flat, int depth, Path file) {
    if (depth > MAX_DEPTH) {
      throw new ConfigException(
          "--config: " + file + " nests deeper than " + MAX_DEPTH + " levels");
    }
    if (node == null) {
      if (!prefix.isEmpty()) {
        flat.put(prefix, "");
      }
      return;
    }
    if (node instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String key = String.valueOf(entry.getKey());
        flatten(
            prefix.isEmpty() ? key : prefix + "." + key, entry.getValue(), flat, depth + 1, file);
      }
      return;
    }
    if (prefix.isEmpty()) {
      throw new ConfigException(
          "--config: " + file + " must be a map of sections, like receivers:");
    }
    if (node instanceof List<?> list) {
      StringBuilder joined = new StringBuilder();
      for (Object item : list) {
        if (item instanceof Map || item instanceof List) {
          throw new ConfigException(prefix + ": expected a list of plain values");
        }
        if (joined.length() > 0) {
          joined.append(',');
        }
        joined.append(item);
      }
      flat.put(prefix, joined.toString());
      return;
    }
    flat.put(prefix, String.valueOf(node));
  }

  private static String firstLine(@Nullable String message) {
    if (message == null) {
      return "parse error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
