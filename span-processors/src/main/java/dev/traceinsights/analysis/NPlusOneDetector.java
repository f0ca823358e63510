package dev.traceinsights.analysis;

import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * Detects the N+1 pattern: the same database statement (up to its values), or the same remote call,
 * repeated at least {@code threshold} times under one ancestor span.
 *
 * <p>What repeats: a span with a {@code db.query.text} (current semantic conventions) or {@code
 * db.statement} (older ones), normalised by {@link SqlStatementNormalizer}, is a {@linkplain
 * NPlusOne.Kind#QUERY query}, or a {@linkplain NPlusOne.Kind#WRITE write} when the statement is an
 * INSERT, UPDATE, DELETE, MERGE, UPSERT or REPLACE; a CLIENT span without a statement is a
 * {@linkplain NPlusOne.Kind#CALL call}, identified by its method and peer ({@code server.address},
 * {@code server.port}) and its {@code url.template} or {@code http.route}, or failing those its
 * URL's path with id-like segments as {@code {id}} (HTTP), or by {@code rpc.service} and {@code
 * rpc.method} (RPC).
 *
 * <p>Where it repeats: the repetitions need not be direct children of one span. An application
 * usually reaches the statement through its own spans (a Spring Data repository method, a client
 * wrapper), so repetitions are grouped under an ancestor at distance 1 to {@value #MAX_DISTANCE}
 * together with the names of the spans in between: each repetition must come through the same chain
 * of span names. Each repetition is reported once, under the nearest ancestor where its group
 * reaches the threshold.
 *
 * <p>The result is ordered by count, largest first; equal counts in the order found: nearer
 * ancestors first, then by the input position of the first candidate at that place. A span nested
 * under a span that repeats too (a client span inside a client span) is counted with its parent
 * only. A trace with fewer than {@code threshold} such spans costs one pass over its attributes and
 * allocates nothing.
 */
final class NPlusOneDetector {

  /** Repetitions may sit this many levels below their ancestor (two wrapper spans in between). */
  static final int MAX_DISTANCE = 3;

  private static final AttributeKey<String> DB_QUERY_TEXT = stringKey("db.query.text");
  private static final AttributeKey<String> DB_STATEMENT = stringKey("db.statement");
  private static final AttributeKey<String> HTTP_REQUEST_METHOD = stringKey("http.request.method");
  private static final AttributeKey<String> HTTP_METHOD = stringKey("http.method");
  private static final AttributeKey<String> URL_TEMPLATE = stringKey("url.template");
  private static final AttributeKey<String> HTTP_ROUTE = stringKey("http.route");
  private static final AttributeKey<String> SERVER_ADDRESS = stringKey("server.address");
  private static final AttributeKey<String> NET_PEER_NAME = stringKey("net.peer.name");
  private static final AttributeKey<Long> SERVER_PORT = longKey("server.port");
  private static final AttributeKey<Long> NET_PEER_PORT = longKey("net.peer.port");
  private static final AttributeKey<String> RPC_SERVICE = stringKey("rpc.service");
  private static final AttributeKey<String> RPC_METHOD = stringKey("rpc.method");
  private static final AttributeKey<String> URL_PATH = stringKey("url.path");
  private static final AttributeKey<String> URL_FULL = stringKey("url.full");
  private static final AttributeKey<String> HTTP_URL = stringKey("http.url");
  private static final String[] NO_CHAIN = new String[0];

  private NPlusOneDetector() {}

  /** Candidates under one ancestor that came through one chain of span names. */
  private static final class Place {
    final int ancestor;
    final String[] via;
    private final int hash;

    Place(int ancestor, String[] via) {
      this.ancestor = ancestor;
      this.via = via;
      this.hash = 31 * ancestor + Arrays.hashCode(via);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Place place
          && place.ancestor == ancestor
          && Arrays.equals(place.via, via);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** What repeats: the kind and the key (normalised statement or call). */
  private record Repeated(NPlusOne.Kind kind, String key) {}

  static List<NPlusOne> detect(TraceGraph graph, int threshold, StatementShapes shapes) {
    if (countCandidates(graph) < threshold) {
      return List.of();
    }
    Search search = new Search(graph, threshold, shapes);
    for (int distance = 1; distance <= MAX_DISTANCE; distance++) {
      for (Map.Entry<Place, List<Integer>> place : search.placesAt(distance).entrySet()) {
        if (place.getValue().size() >= threshold) {
          search.report(place.getKey(), place.getValue());
        }
      }
    }
    return search.found();
  }

  private static int countCandidates(TraceGraph graph) {
    int candidates = 0;
    for (int i = 0; i < graph.size; i++) {
      if (isCandidate(graph, i)) {
        candidates++;
      }
    }
    return candidates;
  }

  /**
   * One trace's search, kept in small methods: as one method with its nested loops it took the JIT
   * three C2 compilations (two of them on-stack replacements) and 80 KB of code.
   */
  private static final class Search {
    private final TraceGraph graph;
    private final int threshold;
    private final StatementShapes shapes;
    private final boolean[] candidate;
    // Keys are built, and statements normalised, only for candidates in a place with enough of
    // them: normalising is the expensive part, and most places hold one or two.
    private final Repeated[] keys;
    private final boolean[] keyed;
    private final boolean[] reported;
    private final List<NPlusOne> found = new ArrayList<>();

    Search(TraceGraph graph, int threshold, StatementShapes shapes) {
      this.graph = graph;
      this.threshold = threshold;
      this.shapes = shapes;
      int n = graph.size;
      this.candidate = new boolean[n];
      for (int i = 0; i < n; i++) {
        candidate[i] = isCandidate(graph, i);
      }
      this.keys = new Repeated[n];
      this.keyed = new boolean[n];
      this.reported = new boolean[n];
    }

    /** The candidates not yet reported, by their place at {@code distance}, in input order. */
    Map<Place, List<Integer>> placesAt(int distance) {
      Map<Place, List<Integer>> places = new LinkedHashMap<>();
      for (int i = 0; i < graph.size; i++) {
        Place place = placeOf(i, distance);
        if (place != null) {
          places.computeIfAbsent(place, unused -> new ArrayList<>()).add(i);
        }
      }
      return places;
    }

    @Nullable
    private Place placeOf(int i, int distance) {
      if (!candidate[i] || reported[i]) {
        return null;
      }
      int parent = graph.parent[i];
      if (parent >= 0 && candidate[parent]) {
        return null; // repeats with its parent (a client span inside a client span): counted there
      }
      String[] chain = distance == 1 ? NO_CHAIN : new String[distance - 1];
      int ancestor = i;
      for (int step = 1; step <= distance && ancestor >= 0; step++) {
        ancestor = graph.parent[ancestor];
        if (step < distance && ancestor >= 0) {
          chain[distance - 1 - step] = graph.spans[ancestor].getName();
        }
      }
      return ancestor < 0 ? null : new Place(ancestor, chain);
    }

    /**
     * Groups one place's members by what they repeat and reports each group that is large enough.
     */
    void report(Place place, List<Integer> members) {
      Map<Repeated, List<Integer>> groups = new LinkedHashMap<>();
      for (int member : members) {
        Repeated key = keyOf(member);
        if (key != null) {
          groups.computeIfAbsent(key, unused -> new ArrayList<>()).add(member);
        }
      }
      for (Map.Entry<Repeated, List<Integer>> group : groups.entrySet()) {
        if (group.getValue().size() >= threshold) {
          reportGroup(place, group.getKey(), group.getValue());
        }
      }
    }

    @Nullable
    private Repeated keyOf(int member) {
      if (!keyed[member]) {
        keys[member] = repeated(graph, member, shapes);
        keyed[member] = true;
      }
      return keys[member];
    }

    private void reportGroup(Place place, Repeated repeated, List<Integer> members) {
      members.sort(
          (x, y) -> {
            int c = Long.compare(graph.start[x], graph.start[y]);
            return c != 0 ? c : Integer.compare(x, y);
          });
      List<String> spanIds = new ArrayList<>(members.size());
      for (int member : members) {
        reported[member] = true;
        spanIds.add(graph.spanIds[member]);
      }
      found.add(
          new NPlusOne(
              graph.spanIds[place.ancestor],
              repeated.kind(),
              repeated.key(),
              Arrays.asList(place.via),
              spanIds));
    }

    List<NPlusOne> found() {
      if (found.isEmpty()) {
        return List.of();
      }
      // Stable: within a count, the order of discovery (nearer ancestors first, then input order).
      found.sort((x, y) -> Integer.compare(y.count(), x.count()));
      return found;
    }
  }

  /** Whether span {@code i} may repeat: it has a statement, or it may be a keyed call. */
  private static boolean isCandidate(TraceGraph graph, int i) {
    Attributes attributes = graph.spans[i].getAttributes();
    return statement(attributes) != null || callKey(graph.kinds[i], attributes, false) != null;
  }

  /** What span {@code i} repeats, or null (a call without a target to tell it by). */
  @Nullable
  private static Repeated repeated(TraceGraph graph, int i, StatementShapes shapes) {
    Attributes attributes = graph.spans[i].getAttributes();
    String statement = statement(attributes);
    if (statement != null) {
      StatementShapes.Shape shape = shapes.of(statement);
      return new Repeated(
          shape.write() ? NPlusOne.Kind.WRITE : NPlusOne.Kind.QUERY, shape.normalized());
    }
    String call = callKey(graph.kinds[i], attributes, true);
    return call == null ? null : new Repeated(NPlusOne.Kind.CALL, call);
  }

  @Nullable
  private static String statement(Attributes attributes) {
    String text = attributes.get(DB_QUERY_TEXT);
    return text != null ? text : attributes.get(DB_STATEMENT);
  }

  /**
   * {@code GET inventory:8080 /items/{id}}, {@code rpc Inventory/Get}; null for other spans.
   * Without {@code build}, only whether there is one: a non-null marker, nothing allocated.
   */
  @Nullable
  private static String callKey(SpanKind kind, Attributes attributes, boolean build) {
    if (kind != SpanKind.CLIENT) {
      return null;
    }
    String peer = first(attributes.get(SERVER_ADDRESS), attributes.get(NET_PEER_NAME));
    Long port = attributes.get(SERVER_PORT);
    if (port == null) {
      port = attributes.get(NET_PEER_PORT);
    }
    String rpcMethod = attributes.get(RPC_METHOD);
    if (rpcMethod != null) {
      if (!build) {
        return rpcMethod;
      }
      String service = attributes.get(RPC_SERVICE);
      return "rpc " + (service == null ? "" : service + '/') + rpcMethod;
    }
    String method = first(attributes.get(HTTP_REQUEST_METHOD), attributes.get(HTTP_METHOD));
    if (method == null) {
      return null;
    }
    String route = first(attributes.get(URL_TEMPLATE), attributes.get(HTTP_ROUTE));
    String path = null;
    if (route == null) {
      // Without a template the path tells endpoints apart (a peer alone would make calls to
      // /users, /cart and /orders one "N+1"); ids in it are what a template would abstract.
      path =
          first(
              attributes.get(URL_PATH), first(attributes.get(URL_FULL), attributes.get(HTTP_URL)));
      if (path == null || peer == null) {
        return null; // nothing that tells one call target from another
      }
    }
    if (!build) {
      return method;
    }
    if (route == null) {
      route = templateOf(path);
    }
    String peerAndPort = peer == null ? null : port == null ? peer : peer + ':' + port;
    StringBuilder key = new StringBuilder(method);
    if (peerAndPort != null) {
      key.append(' ').append(peerAndPort);
    }
    if (route != null) {
      key.append(' ').append(route);
    }
    return key.toString();
  }

  /**
   * The path of a URL or path, without scheme, authority, query and fragment, with the segments
   * that look like ids (digits, UUIDs, long hex) as {@code {id}}: {@code /items/42?x=1} becomes
   * {@code /items/{id}}.
   */
  static String templateOf(String urlOrPath) {
    String path = urlOrPath;
    int scheme = path.indexOf("://");
    if (scheme >= 0) {
      int slash = path.indexOf('/', scheme + 3);
      path = slash < 0 ? "/" : path.substring(slash);
    }
    int end = path.length();
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    StringBuilder template = new StringBuilder(end);
    int segmentStart = 0;
    while (segmentStart <= end) {
      int slash = path.indexOf('/', segmentStart);
      int segmentEnd = slash < 0 || slash > end ? end : slash;
      String segment = path.substring(segmentStart, segmentEnd);
      template.append(looksLikeId(segment) ? "{id}" : segment);
      if (segmentEnd == end) {
        break;
      }
      template.append('/');
      segmentStart = segmentEnd + 1;
    }
    return template.toString();
  }

  private static boolean looksLikeId(String segment) {
    if (segment.isEmpty()) {
      return false;
    }
    boolean digitsOnly = true;
    int hex = 0;
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c < '0' || c > '9') {
        digitsOnly = false;
      }
      if (Character.digit(c, 16) >= 0 || c == '-') {
        hex++;
      }
    }
    // Digits; or hex and dashes, 16 characters or more (UUIDs, hashes, trace-like ids).
    return digitsOnly || (hex == segment.length() && segment.length() >= 16);
  }

  @Nullable
  private static String first(@Nullable String a, @Nullable String b) {
    return a != null ? a : b;
  }
}
