package dev.traceinsights.collector.config;

import java.net.InetSocketAddress;

/** Where a server listens: {@code host:port}, as the OpenTelemetry Collector writes endpoints. */
public record HostPort(String host, int port) {

  /** {@code host:port}, {@code [v6]:port} or {@code :port} (all interfaces); port 0 picks one. */
  static HostPort parse(String key, String value) {
    int colon = value.lastIndexOf(':');
    if (colon < 0) {
      throw ConfigException.invalid(key, value, "host:port, for example localhost:4317");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw ConfigException.invalid(key, value, "host:port with a port from 0 to 65535");
    }
    return new HostPort(host.isEmpty() ? "0.0.0.0" : host, port);
  }

  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(host, port);
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
