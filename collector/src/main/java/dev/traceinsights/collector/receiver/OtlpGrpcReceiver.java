package dev.traceinsights.collector.receiver;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import dev.traceinsights.collector.config.HostPort;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The OTLP/gRPC trace receiver ({@code opentelemetry.proto.collector.trace.v1.TraceService}).
 * Answers as the OTLP specification asks of servers: partial success for spans it could not take,
 * {@code RESOURCE_EXHAUSTED} with {@code RetryInfo} when memory limits are reached (so that the
 * sender retries later instead of dropping), and gRPC's own limits on message size. gzip is
 * understood as gRPC's standard message encoding.
 */
public final class OtlpGrpcReceiver implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(OtlpGrpcReceiver.class.getName());

  private final Server server;

  private OtlpGrpcReceiver(Server server) {
    this.server = server;
  }

  /** Starts listening; throws when the endpoint cannot be bound. */
  public static OtlpGrpcReceiver start(
      HostPort endpoint, int maxMessageBytes, SpanIntake intake, ReceiverCounters counters)
      throws IOException {
    Server server =
        NettyServerBuilder.forAddress(endpoint.socketAddress())
            .maxInboundMessageSize(maxMessageBytes)
            .addService(new TraceService(intake, counters))
            .build()
            .start();
    return new OtlpGrpcReceiver(server);
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static final class TraceService extends TraceServiceGrpc.TraceServiceImplBase {
    private final SpanIntake intake;
    private final ReceiverCounters counters;

    TraceService(SpanIntake intake, ReceiverCounters counters) {
      this.intake = intake;
      this.counters = counters;
    }

    @Override
    public void export(
        ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> response) {
      ReceivedSpans received;
      Admission admission;
      try {
        received = OtlpProtoSpans.decode(request);
        admission = intake.offer(received.spans());
      } catch (RuntimeException e) {
        // Never a stack trace to the sender; one line here.
        logger.log(Level.WARNING, "Trace Insights collector failed on an OTLP/gRPC request", e);
        response.onError(
            StatusProto.toStatusRuntimeException(
                com.google.rpc.Status.newBuilder()
                    .setCode(Code.INTERNAL_VALUE)
                    .setMessage("internal error")
                    .build()));
        return;
      }
      if (!admission.accepted()) {
        counters.refused(received.spans().size());
        Duration retry = admission.retryAfter();
        response.onError(
            StatusProto.toStatusRuntimeException(
                com.google.rpc.Status.newBuilder()
                    .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
                    .setMessage(admission.reason())
                    .addDetails(
                        Any.pack(
                            RetryInfo.newBuilder()
                                .setRetryDelay(
                                    com.google.protobuf.Duration.newBuilder()
                                        .setSeconds(retry.getSeconds())
                                        .setNanos(retry.getNano()))
                                .build()))
                    .build()));
        return;
      }
      response.onNext(counters.answerAccepted(received));
      response.onCompleted();
    }
  }
}
