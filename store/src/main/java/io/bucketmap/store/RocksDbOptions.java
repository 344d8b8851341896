package io.bucketmap.store;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

import java.util.Map;

/**
 * The RocksDB options of one store's local copy: small defaults, then the application's {@code rocksdb.config.setter}
 * ({@link RocksDBConfigSetter}) if it has one, exactly as Kafka's own RocksDB store applies it (same store name, same
 * {@link Options} object, {@code close(name, options)} on close).
 *
 * <p>Why the defaults are small: the copy is written at commit and read once, sequentially, when the store opens
 * (with the block cache bypassed); every read is served by the bucket map. So the block cache only holds index and
 * filter blocks ({@value #BLOCK_CACHE_BYTES} bytes), and the memtables ({@value #WRITE_BUFFER_BYTES} bytes, at most
 * {@value #MAX_WRITE_BUFFERS}) are the only data RocksDB keeps in memory: the most recent commits, until flushed.
 *
 * <p>Owns its native objects; {@link #close()} releases them. Not thread-safe; one store's open and close.
 */
final class RocksDbOptions implements AutoCloseable {
    static final long BLOCK_CACHE_BYTES = 4L * 1024 * 1024;
    static final long WRITE_BUFFER_BYTES = 16L * 1024 * 1024;
    static final int MAX_WRITE_BUFFERS = 2;
    private static final long BLOCK_SIZE_BYTES = 16L * 1024;
    private static final long METADATA_WRITE_BUFFER_BYTES = 64L * 1024;

    static {
        // the native library, before the first native object (RocksDB's own static block loads it only on first use)
        RocksDB.loadLibrary();
    }

    private final String storeName;
    private final LRUCache blockCache;
    private final Options options;
    private final RocksDBConfigSetter configSetter;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions dataOptions;
    private final ColumnFamilyOptions metadataOptions;

    private RocksDbOptions(String storeName, Map<String, Object> appConfigs) {
        this.storeName = storeName;
        blockCache = new LRUCache(BLOCK_CACHE_BYTES);
        BlockBasedTableConfig tableConfig = new BlockBasedTableConfig()
                .setBlockCache(blockCache)
                .setBlockSize(BLOCK_SIZE_BYTES);
        options = new Options()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setInfoLogLevel(InfoLogLevel.ERROR_LEVEL)
                .setTableFormatConfig(tableConfig)
                .setWriteBufferSize(WRITE_BUFFER_BYTES)
                .setMaxWriteBufferNumber(MAX_WRITE_BUFFERS)
                .setCompressionType(CompressionType.LZ4_COMPRESSION);
        configSetter = configSetter(appConfigs.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG));
        if (configSetter != null) {
            configSetter.setConfig(storeName, options, appConfigs);
        }
        dbOptions = new DBOptions(options);
        dataOptions = new ColumnFamilyOptions(options);
        metadataOptions = new ColumnFamilyOptions().setWriteBufferSize(METADATA_WRITE_BUFFER_BYTES);
    }

    /** Defaults plus the application's config setter, for the store named {@code storeName}. */
    static RocksDbOptions create(String storeName, Map<String, Object> appConfigs) {
        return new RocksDbOptions(storeName, appConfigs);
    }

    DBOptions db() {
        return dbOptions;
    }

    ColumnFamilyOptions data() {
        return dataOptions;
    }

    ColumnFamilyOptions metadata() {
        return metadataOptions;
    }

    /** Lets the config setter release what it made, then releases the options. Call after closing the database. */
    @Override
    public void close() {
        try {
            if (configSetter != null) {
                configSetter.close(storeName, options);
            }
        } finally {
            metadataOptions.close();
            dataOptions.close();
            dbOptions.close();
            options.close();
            blockCache.close();
        }
    }

    /** The setter named by {@code rocksdb.config.setter}: a class (parsed config) or a class name (raw properties). */
    private static RocksDBConfigSetter configSetter(Object configured) {
        if (configured == null) {
            return null;
        }
        try {
            Class<?> setterClass = configured instanceof Class<?> type ? type : Class.forName(configured.toString());
            return Utils.newInstance(setterClass.asSubclass(RocksDBConfigSetter.class));
        } catch (ClassNotFoundException | ClassCastException e) {
            throw new ConfigException(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, configured,
                    "must name a class implementing " + RocksDBConfigSetter.class.getName());
        }
    }
}
