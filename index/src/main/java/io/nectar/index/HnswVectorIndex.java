package io.nectar.index;

import com.github.jelmerk.hnswlib.core.DistanceFunction;
import com.github.jelmerk.hnswlib.core.Item;
import com.github.jelmerk.hnswlib.core.ObjectSerializer;
import com.github.jelmerk.hnswlib.core.SearchResult;
import com.github.jelmerk.hnswlib.core.hnsw.HnswIndex;
import com.github.jelmerk.hnswlib.core.hnsw.SizeLimitExceededException;

import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInput;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutput;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Approximate nearest-neighbour search on an HNSW graph (hnswlib), for spaces too large for exact search.
 * <p>
 * Threads: searches never lock (hnswlib only synchronises briefly on the nodes it reads). Writes
 * serialise on this object and are visible to searches that start after they return. hnswlib never
 * frees a node: a removed entry, or an updated one whose vector changed, leaves a tombstone that still
 * routes searches but is never returned. The graph has a fixed capacity ({@link #capacity()}); the
 * owner rebuilds a compacted graph before tombstones and new entries fill it ({@link #slotsLeft()}),
 * since hnswlib's own resize is not safe while searches run. A write into a full graph throws
 * {@link IllegalStateException}.
 */
public final class HnswVectorIndex implements VectorIndex {

    /** Links per node of level 0 and above are bounded by m; this many bytes per link and node overhead. */
    private static final int NODE_OVERHEAD = 96;

    private final int dimension;
    private final HnswParams params;
    private final HnswIndex<String, float[], Node, Float> graph;
    private final Map<String, Node> live = new ConcurrentHashMap<>();
    private volatile int nodes;
    private volatile long metaBytes;

    private HnswVectorIndex(int dimension, HnswParams params, HnswIndex<String, float[], Node, Float> graph, int nodes) {
        this.dimension = dimension;
        this.params = params;
        this.graph = graph;
        this.nodes = nodes;
        graph.setEf(params.ef());
    }

    /** An empty graph with room for {@code capacity} nodes (live entries plus tombstones). */
    public static HnswVectorIndex create(int dimension, int capacity, HnswParams params) {
        if (dimension < 1 || capacity < 1) {
            throw new IllegalArgumentException("dimension and capacity must be >= 1");
        }
        HnswIndex<String, float[], Node, Float> g = HnswIndex
                .newBuilder(dimension, new InnerProduct(), capacity)
                .withM(params.m())
                .withEfConstruction(params.efConstruction())
                .withEf(params.ef())
                .withRemoveEnabled()
                .withCustomSerializers(new IdSerializer(), new NodeSerializer())
                .build();
        return new HnswVectorIndex(dimension, params, g, 0);
    }

    /**
     * A graph holding these entries, built with {@link HnswParams#buildThreads()} threads, with room for
     * as many again (at least 10,000 more) before it needs a rebuild. Blocking CPU work: minutes at 100k.
     */
    public static HnswVectorIndex build(int dimension, Collection<IndexEntry> entries, HnswParams params) {
        Map<String, IndexEntry> byId = new LinkedHashMap<>();
        for (IndexEntry e : entries) {
            byId.put(e.id(), e);
        }
        HnswVectorIndex index = create(dimension, defaultCapacity(byId.size()), params);
        index.addAllInParallel(byId.values());
        return index;
    }

    /** Capacity given to a graph built for {@code n} entries. */
    public static int defaultCapacity(int n) {
        return (int) Math.min(Integer.MAX_VALUE - 8, 2L * n + 10_000);
    }

    private synchronized void addAllInParallel(Collection<IndexEntry> entries) {
        List<Node> batch = new ArrayList<>(entries.size());
        for (IndexEntry e : entries) {
            checkDimension(e);
            Node n = new Node(e);
            batch.add(n);
        }
        if (batch.size() > slotsLeft()) {
            throw new IllegalStateException("graph is full");
        }
        try {
            graph.addAll(batch, params.buildThreads(), (done, max) -> { }, Integer.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the graph", e);
        }
        long meta = metaBytes;
        for (Node n : batch) {
            Node old = live.put(n.entry.id(), n);
            meta += MemoryEstimate.entryMeta(n.entry) - (old == null ? 0 : MemoryEstimate.entryMeta(old.entry));
        }
        metaBytes = meta;
        nodes = nodes + batch.size();
    }

    @Override
    public int dimension() {
        return dimension;
    }

    public HnswParams params() {
        return params;
    }

    /** Search-time candidate list size; may be changed at any time (the benchmark sweeps it). */
    public void setEf(int ef) {
        graph.setEf(ef);
    }

    @Override
    public synchronized void upsert(IndexEntry entry) {
        checkDimension(entry);
        Node old = live.get(entry.id());
        boolean sameVector = old != null && Arrays.equals(old.entry.vector(), entry.vector());
        if (!sameVector && slotsLeft() < 1) {
            throw new IllegalStateException("graph is full (" + graph.getMaxItemCount() + " nodes): rebuild it");
        }
        Node node = new Node(entry);
        try {
            graph.add(node);
        } catch (SizeLimitExceededException ex) {
            throw new IllegalStateException("graph is full (" + graph.getMaxItemCount() + " nodes): rebuild it", ex);
        }
        live.put(entry.id(), node);
        if (!sameVector) {
            nodes = nodes + 1;
        }
        metaBytes = metaBytes + MemoryEstimate.entryMeta(entry) - (old == null ? 0 : MemoryEstimate.entryMeta(old.entry));
    }

    @Override
    public synchronized boolean remove(String id) {
        Node old = live.remove(id);
        if (old == null) {
            return false;
        }
        graph.remove(id, 0);
        metaBytes = metaBytes - MemoryEstimate.entryMeta(old.entry);
        return true;
    }

    @Override
    public List<SearchHit> search(float[] query, int k) {
        if (query.length != dimension) {
            throw new IllegalArgumentException("query has " + query.length + " dimensions, index has " + dimension);
        }
        if (k <= 0) {
            return List.of();
        }
        List<SearchResult<Node, Float>> found = graph.findNearest(query, k);
        List<SearchHit> out = new ArrayList<>(found.size());
        for (SearchResult<Node, Float> r : found) {
            out.add(new SearchHit(r.item().entry, 1f - r.distance()));
        }
        return out;
    }

    @Override
    public IndexEntry get(String id) {
        Node n = live.get(id);
        return n == null ? null : n.entry;
    }

    @Override
    public float score(String id, float[] query) {
        Node n = live.get(id);
        return n == null ? Float.NaN : VectorMath.dot(query, n.entry.vector());
    }

    @Override
    public List<IndexEntry> entries() {
        List<IndexEntry> out = new ArrayList<>(live.size());
        for (Node n : live.values()) {
            out.add(n.entry);
        }
        return out;
    }

    @Override
    public int size() {
        return live.size();
    }

    /** Nodes the graph holds: live entries plus tombstones. */
    public int nodes() {
        return nodes;
    }

    public int tombstones() {
        return Math.max(0, nodes - live.size());
    }

    public int capacity() {
        return graph.getMaxItemCount();
    }

    public int slotsLeft() {
        return capacity() - nodes;
    }

    @Override
    public long bytes() {
        int n = nodes;
        // per node: vector, hnswlib node + level-0 links (2m ints) + upper levels (~m/(m-1) ≈ few ints),
        // lookup-map slot, our id map entry; plus the node slot array over the whole capacity
        long perNode = MemoryEstimate.floats(dimension) + NODE_OVERHEAD + MemoryEstimate.ints(2 * params.m())
                + 32 + 48;
        return (long) n * perNode + metaBytes + 4L * capacity();
    }

    /** Writes the graph with its entries (hnswlib's format). Call with no writes running. Blocking. */
    synchronized void save(OutputStream out) throws IOException {
        graph.save(out);
    }

    /**
     * Reads a graph written by {@link #save}. Only the classes a graph is made of may be deserialised;
     * the caller has already verified the bytes' checksum. Blocking.
     */
    static HnswVectorIndex load(InputStream in, int nodes, HnswParams search) throws IOException {
        ObjectInputStream ois = new ObjectInputStream(in);
        ois.setObjectInputFilter(HnswVectorIndex::allowClass);
        Object o;
        try {
            o = ois.readObject();
        } catch (ClassNotFoundException e) {
            throw new InvalidClassException("unexpected class in graph: " + e.getMessage());
        }
        if (!(o instanceof HnswIndex<?, ?, ?, ?>)) {
            throw new InvalidClassException("not an HNSW graph: " + o.getClass().getName());
        }
        @SuppressWarnings("unchecked")
        HnswIndex<String, float[], Node, Float> g = (HnswIndex<String, float[], Node, Float>) o;
        HnswParams params = new HnswParams(g.getM(), g.getEfConstruction(), search.ef(), search.buildThreads());
        HnswVectorIndex index = new HnswVectorIndex(g.getDimensions(), params, g, 0);
        int count = 0;
        long meta = 0;
        for (Node n : g.items()) {
            index.live.put(n.entry.id(), n);
            meta += MemoryEstimate.entryMeta(n.entry);
            count++;
        }
        index.metaBytes = meta;
        // tombstones survive a save; hnswlib does not expose their count, so the snapshot carries it
        index.nodes = Math.max(count, nodes);
        return index;
    }

    private static ObjectInputFilter.Status allowClass(ObjectInputFilter.FilterInfo info) {
        Class<?> c = info.serialClass();
        if (c == null) {
            return ObjectInputFilter.Status.UNDECIDED;
        }
        String name = c.isArray() ? c.getComponentType().getName() : c.getName();
        if (c.isPrimitive() || (c.isArray() && c.getComponentType().isPrimitive())
                || name.startsWith("com.github.jelmerk.hnswlib.core.")
                || name.startsWith("io.nectar.index.")
                || name.equals("java.lang.Float") || name.equals("java.lang.Number")
                || name.equals("java.lang.Enum") || name.startsWith("java.util.Comparators")) {
            return ObjectInputFilter.Status.ALLOWED;
        }
        return ObjectInputFilter.Status.REJECTED;
    }

    private void checkDimension(IndexEntry e) {
        if (e.vector().length != dimension) {
            throw new IllegalArgumentException("entry " + e.id() + " has " + e.vector().length
                    + " dimensions, index has " + dimension);
        }
    }

    /** A graph node's payload: the entry itself, so the vector is stored once. */
    static final class Node implements Item<String, float[]> {
        private static final long serialVersionUID = 1L;
        final transient IndexEntry entry;

        Node(IndexEntry entry) {
            this.entry = entry;
        }

        @Override
        public String id() {
            return entry.id();
        }

        @Override
        public float[] vector() {
            return entry.vector();
        }

        @Override
        public int dimensions() {
            return entry.vector().length;
        }
    }

    /** 1 − dot product: cosine distance for unit vectors. */
    static final class InnerProduct implements DistanceFunction<float[], Float> {
        private static final long serialVersionUID = 1L;

        @Override
        public Float distance(float[] u, float[] v) {
            return 1f - VectorMath.dot(u, v);
        }
    }

    static final class IdSerializer implements ObjectSerializer<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public void write(String id, ObjectOutput out) throws IOException {
            out.writeUTF(id);
        }

        @Override
        public String read(ObjectInput in) throws IOException {
            return in.readUTF();
        }
    }

    static final class NodeSerializer implements ObjectSerializer<Node> {
        private static final long serialVersionUID = 1L;

        @Override
        public void write(Node n, ObjectOutput out) throws IOException {
            EntryCodec.write(n.entry, out);
        }

        @Override
        public Node read(ObjectInput in) throws IOException {
            return new Node(EntryCodec.read(in));
        }
    }
}
