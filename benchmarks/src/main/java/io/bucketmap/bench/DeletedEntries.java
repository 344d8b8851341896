package io.bucketmap.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a punctuator sweep deleted: collected during the sweep, put back after each invocation (not measured), so
 * every sweep walks the whole store of {@code size} entries and deletes one in {@value #EVERY_NTH} of them again.
 */
@State(Scope.Benchmark)
public class DeletedEntries implements BiConsumer<byte[], byte[]> {
    /** The sweep deletes every entry whose position in iteration order is a multiple of this: 10% of them. */
    public static final int EVERY_NTH = 10;

    private final List<byte[]> keys = new ArrayList<>();
    private final List<byte[]> values = new ArrayList<>();

    @Override
    public void accept(byte[] key, byte[] value) {
        keys.add(key);
        values.add(value);
    }

    /**
     * Puts the deleted entries back.
     *
     * @throws IllegalStateException if the sweep did not delete exactly one entry in {@value #EVERY_NTH}: a sweep that
     *                               missed or repeated entries would be measuring something else
     */
    @TearDown(Level.Invocation)
    public void putBack(FilledStore filled) {
        if (keys.size() != filled.size / EVERY_NTH) {
            throw new IllegalStateException(filled.contender + " swept " + keys.size() + " deletes, expected "
                    + filled.size / EVERY_NTH);
        }
        for (int i = 0; i < keys.size(); i++) {
            filled.store.put(keys.get(i), values.get(i));
        }
        keys.clear();
        values.clear();
    }
}
