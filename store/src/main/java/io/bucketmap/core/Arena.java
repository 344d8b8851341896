package io.bucketmap.core;

import java.util.Arrays;

/**
 * The key and value bytes of a map's entries, packed as <em>records</em> in large {@code byte[]} pages, so that the heap
 * holds a few hundred arrays per million entries instead of two per entry (see {@code docs/design.md}, "The arena").
 *
 * <p>A record is {@code [key length][value length][key][value]}, both lengths as minimal unsigned LEB128 varints (one
 * byte each below 128), starting at a multiple of {@value #ALIGNMENT} bytes; its <em>extent</em> is its size rounded up
 * to that. An <em>address</em> is an int: the page id in the top bits, the record's offset in the page divided by
 * {@value #ALIGNMENT} in the low {@code pageShift - }{@value #ALIGNMENT_SHIFT} bits. Page id 0 is never used, so
 * address 0 means "no record".
 * Records are appended to the current <em>append page</em>; a page a record does not fit in is <em>sealed</em> (its
 * unused tail is dead from then on) and a new one opened. A record larger than an eighth of a page gets
 * a page of its own, sized to it.
 *
 * <p>Space: a value of the same or a smaller size is overwritten in place (an own page only while it keeps at least half
 * of its value); otherwise the record moves out and its old extent is dead. A page whose last live record goes away is
 * released at once (the append page is reused from its start instead). Dead space in sealed pages is reclaimed by
 * {@linkplain EntrySlab#compactArena compaction}: once dead bytes exceed {@value #COMPACTION_TRIGGER_PERCENT}% of the
 * sealed pages, records of pages less than {@value #MOVABLE_LIVE_PERCENT}% live are copied to the append page a few per
 * write, until those pages empty and are released.
 *
 * <p>Invariants (checked by {@link #checkInvariants}): every live record lies inside a held page (below the fill mark of
 * the append page) and no two overlap; {@code liveBytes[p]} is the sum of the extents of page {@code p}'s live records;
 * a held page other than the append page has a live record; an own page holds one record, at offset 0; the totals
 * ({@link #recordBytes}, {@link #heldBytes}, {@link #sealedBytes}, {@link #deadBytes}) are the sums of their parts; a
 * released page id is in the free list exactly once and no address refers to it.
 *
 * <p>Threading: written by the map's writer under the write lock. The read methods run under the map's read protocol:
 * on torn state (a page released or reused, a record overwritten or moved between the reads) they may return garbage or
 * throw a {@link RuntimeException} (never loop, never allocate more than a page), which the caller's validation then
 * discards.
 */
final class Arena {
    /*
     * The constants below were chosen by measuring candidates side by side (page size, alignment, compaction trigger
     * and pace; docs/design.md, section 4, and benchmarks/results/2026-12-07-arena.md).
     */
    /** The page size maps get: {@code 2^DEFAULT_PAGE_SHIFT} bytes (256 KB). */
    static final int DEFAULT_PAGE_SHIFT = 18;
    /** Records start at multiples of {@code 2^ALIGNMENT_SHIFT} bytes, so a 16-bit offset spans a 256 KB page. */
    static final int ALIGNMENT_SHIFT = 2;
    static final int ALIGNMENT = 1 << ALIGNMENT_SHIFT;
    /** Compaction starts when dead bytes exceed this share of the sealed pages' bytes... */
    static final int COMPACTION_TRIGGER_PERCENT = 25;
    /** ...and moves the records of pages whose live bytes are below this share of a page... */
    static final int MOVABLE_LIVE_PERCENT = 75;
    /** ...sparsest first, up to live bytes of one in this many of all live record bytes per cycle. */
    static final int VICTIM_SHARE_OF_RECORDS = 8;

    /**
     * Bytes a shared page falls short of {@code 2^pageShift}: G1 allocates an array that takes half a region or more as a
     * humongous object, in whole regions of its own, and an array of {@code 2^k} bytes plus its header would cross half
     * of a {@code 2^(k+1)}-byte region.
     */
    private static final int PAGE_SHORTFALL = 64;
    /** Bytes per shared page: {@code 2^pageShift - }{@value #PAGE_SHORTFALL}. */
    final int pageBytes;
    /** Address bits that hold the offset in units of {@value #ALIGNMENT} bytes; the rest hold the page id. */
    private final int offsetBits;
    private final int offsetMask;
    /** The largest page id an address can hold: the arena's capacity is this many pages. */
    private final int maxPageId;
    /** Records larger than this get a page of their own. */
    final int largestSharedRecord;
    private final int movableLiveBytes;
    /** Below this many dead bytes compaction does not start, whatever their share: small maps are not worth it. */
    private final long leastDeadBytesWorthCompacting;

    /** Page by id; null for an id never used or released. Id 0 is never used. */
    private byte[][] pages = new byte[16][];
    /** Per page id, the extents of its live records. */
    private int[] liveBytes = new int[16];
    /** Bit {@code p} set: page {@code p} is a record's own page. */
    private long[] ownPages = new long[1];
    /** Bit {@code p} set: the running compaction cycle empties page {@code p} (a sealed shared page). */
    private long[] victims = new long[1];
    /** Released page ids, to be handed out again before new ones. */
    private int[] freeIds = new int[16];
    private int freeIdCount;
    /** Ids below this have been handed out at some point. */
    private int nextId = 1;
    /** The page new records are appended to, 0 before the first record. */
    private int appendPage;
    /** Where the next record goes in the append page. */
    private int appendOffset;
    /** Pages held (shared and own). */
    private int pagesHeld;
    /** Bytes of the pages held. */
    private long heldBytes;
    /** Extents of all live records. */
    private long recordBytes;
    /** Bytes of the sealed shared pages (every held shared page but the append page). */
    private long sealedBytes;
    /** Bytes of the sealed shared pages not in a live record: what compaction can give back. */
    private long deadBytes;

    /** An empty arena of pages of {@code 2^pageShift} bytes (tests use small pages to reach every path quickly). */
    Arena(int pageShift) {
        if (pageShift < 6 || pageShift > 24) {
            throw new IllegalArgumentException("page shift out of range: " + pageShift);
        }
        pageBytes = (1 << pageShift) - PAGE_SHORTFALL;
        offsetBits = pageShift - ALIGNMENT_SHIFT;
        offsetMask = (1 << offsetBits) - 1;
        maxPageId = (int) ((1L << (32 - offsetBits)) - 1);
        largestSharedRecord = pageBytes / 8;
        movableLiveBytes = (int) ((long) pageBytes * MOVABLE_LIVE_PERCENT / 100);
        leastDeadBytesWorthCompacting = 2L * pageBytes;
    }

    /**
     * Appends a record of {@code key} and {@code value}; returns its address. O(key + value), plus a page allocation
     * when the append page is full or the record needs a page of its own.
     *
     * @throws IllegalStateException    if every page id is in use (the arena holds its maximum of pages)
     * @throws IllegalArgumentException if the record would not fit in one array
     */
    int append(byte[] key, byte[] value) {
        int keyLength = key.length;
        int valueLength = value.length;
        int extent = extentOf(keyLength, valueLength);
        int at = reserve(extent);
        int id = reservedPage;
        byte[] page = pages[id];
        int keyStart = writeHeader(page, at, keyLength, valueLength);
        System.arraycopy(key, 0, page, keyStart, keyLength);
        System.arraycopy(value, 0, page, keyStart + keyLength, valueLength);
        return addressOf(id, at);
    }

    /** The page that {@link #reserve} reserved space in. Writer scratch. */
    private int reservedPage;

    /**
     * Reserves {@code extent} bytes for a new record, counted live, and returns their offset in {@link #reservedPage}: in
     * the append page (sealing it and opening a new one if they do not fit) or in a new page of their own. Allocates
     * before it changes anything, so a failure leaves the arena as it was.
     */
    private int reserve(int extent) {
        if (extent > largestSharedRecord) {
            byte[] page = new byte[extent];
            int id = takePageId();
            holdPage(id, page, true);
            reservedPage = id;
            liveBytes[id] = extent;
            recordBytes += extent;
            return 0;
        }
        if (appendPage == 0 || appendOffset + extent > pageBytes) {
            openAppendPage();
        }
        int at = appendOffset;
        appendOffset += extent;
        liveBytes[appendPage] += extent;
        recordBytes += extent;
        reservedPage = appendPage;
        return at;
    }

    /** Seals the append page, if any, and makes a new page the append page. */
    private void openAppendPage() {
        byte[] page = new byte[pageBytes];
        int id = takePageId();
        int sealed = appendPage;
        holdPage(id, page, false);
        if (sealed != 0) {
            sealedBytes += pageBytes;
            deadBytes += pageBytes - liveBytes[sealed];
        }
        appendPage = id;
        appendOffset = 0;
    }

    private int takePageId() {
        if (freeIdCount > 0) {
            return freeIds[--freeIdCount];
        }
        if (nextId > maxPageId) {
            throw new IllegalStateException("the arena holds its maximum of " + maxPageId + " pages ("
                    + heldBytes + " bytes, " + recordBytes + " of them in live records); a map holds at most about "
                    + (long) maxPageId * pageBytes + " bytes of keys and values");
        }
        int id = nextId;
        if (id == pages.length) {
            byte[][] grownPages = Arrays.copyOf(pages, id * 2);
            int[] grownLiveBytes = Arrays.copyOf(liveBytes, id * 2);
            long[] grownOwnPages = Arrays.copyOf(ownPages, Math.max(ownPages.length, (id * 2 + 63) >>> 6));
            long[] grownVictims = Arrays.copyOf(victims, grownOwnPages.length);
            pages = grownPages;
            liveBytes = grownLiveBytes;
            ownPages = grownOwnPages;
            victims = grownVictims;
        }
        nextId++;
        return id;
    }

    private void holdPage(int id, byte[] page, boolean own) {
        pages[id] = page;
        liveBytes[id] = 0;
        if (own) {
            ownPages[id >>> 6] |= 1L << id;
        } else {
            ownPages[id >>> 6] &= ~(1L << id);
        }
        pagesHeld++;
        heldBytes += page.length;
    }

    /**
     * Stores {@code value} in the record at {@code address} in place if it is no longer than the stored value (and,
     * in a record's own page, at least half as long); returns whether it did. The bytes the record no longer uses are
     * dead. O(value).
     */
    boolean overwriteValue(int address, byte[] value) {
        int id = address >>> offsetBits;
        byte[] page = pages[id];
        int at = offsetOf(address);
        long lengths = lengths(page, at);
        int keyLength = (int) lengths;
        int oldValueLength = (int) (lengths >>> 32);
        int valueLength = value.length;
        if (valueLength > oldValueLength || isOwnPage(id) && valueLength < oldValueLength / 2) {
            return false;
        }
        int oldKeyStart = at + headerWidth(keyLength, oldValueLength);
        int keyStart = writeHeader(page, at, keyLength, valueLength);
        if (keyStart != oldKeyStart) {
            System.arraycopy(page, oldKeyStart, page, keyStart, keyLength); // the value length took fewer bytes
        }
        System.arraycopy(value, 0, page, keyStart + keyLength, valueLength);
        shrinkLive(id, extentOf(keyLength, oldValueLength) - extentOf(keyLength, valueLength));
        return true;
    }

    /** Marks the record at {@code address} dead; releases its page if it held nothing else. O(1). */
    void free(int address) {
        int id = address >>> offsetBits;
        byte[] page = pages[id];
        int at = offsetOf(address);
        long lengths = lengths(page, at);
        shrinkLive(id, extentOf((int) lengths, (int) (lengths >>> 32)));
    }

    /** Takes {@code bytes} off page {@code id}'s live bytes; releases or restarts the page when none are left. */
    private void shrinkLive(int id, int bytes) {
        liveBytes[id] -= bytes;
        recordBytes -= bytes;
        boolean own = isOwnPage(id);
        if (!own && id != appendPage) {
            deadBytes += bytes;
        }
        if (liveBytes[id] == 0) {
            if (id == appendPage) {
                appendOffset = 0; // nothing in it is live: fill it again from the start
            } else {
                releasePage(id, own);
            }
        }
    }

    private void releasePage(int id, boolean own) {
        byte[] page = pages[id];
        if (!own) {
            sealedBytes -= pageBytes;
            deadBytes -= pageBytes;
            victims[id >>> 6] &= ~(1L << id); // a new page may take the id during the cycle
        }
        pages[id] = null;
        pagesHeld--;
        heldBytes -= page.length;
        if (freeIdCount == freeIds.length) {
            freeIds = Arrays.copyOf(freeIds, freeIdCount * 2);
        }
        freeIds[freeIdCount++] = id;
    }

    /**
     * Copies the record at {@code address} to the append page and frees the original; returns the new address.
     * For compaction: the caller points the record's handle at the new address. O(record).
     */
    int move(int address) {
        int id = address >>> offsetBits;
        byte[] from = pages[id];
        int at = offsetOf(address);
        long lengths = lengths(from, at);
        int keyLength = (int) lengths;
        int valueLength = (int) (lengths >>> 32);
        int extent = extentOf(keyLength, valueLength);
        int to = reserve(extent);
        int newId = reservedPage;
        System.arraycopy(from, at, pages[newId], to, headerWidth(keyLength, valueLength) + keyLength + valueLength);
        shrinkLive(id, extent);
        return addressOf(newId, to);
    }

    /**
     * Whether compaction should run: dead bytes in sealed pages exceed {@value #COMPACTION_TRIGGER_PERCENT}% of them
     * and two pages. O(1).
     */
    boolean compactionDue() {
        return deadBytes >= leastDeadBytesWorthCompacting && deadBytes * 100 > sealedBytes * COMPACTION_TRIGGER_PERCENT;
    }

    /** Dead bytes in sealed pages. */
    long deadBytes() {
        return deadBytes;
    }

    /**
     * Chooses the pages a compaction cycle empties: the sealed shared pages whose live bytes are below {@value
     * #MOVABLE_LIVE_PERCENT}% of a page, sparsest first, as long as their live bytes add up to no more than an eighth of
     * all live records (or one page): that bounds what a cycle copies before the pages it empties come back, since a
     * page's records lie anywhere in handle order and the page goes only with its last record. Returns whether it chose
     * any. O(pages log pages), once per cycle.
     */
    boolean chooseVictims() {
        long[] candidates = new long[pagesHeld];
        int count = 0;
        for (int id = 1; id < nextId; id++) {
            if (pages[id] != null && id != appendPage && !isOwnPage(id) && liveBytes[id] < movableLiveBytes) {
                candidates[count++] = ((long) liveBytes[id] << 32) | id;
            }
        }
        Arrays.sort(candidates, 0, count);
        long budget = Math.max(pageBytes, recordBytes / VICTIM_SHARE_OF_RECORDS);
        long chosen = 0;
        int victimCount = 0;
        for (int i = 0; i < count && chosen + (candidates[i] >>> 32) <= budget; i++) {
            int id = (int) candidates[i];
            victims[id >>> 6] |= 1L << id;
            chosen += candidates[i] >>> 32;
            victimCount++;
        }
        return victimCount > 0;
    }

    /** Ends a compaction cycle: no page is a victim any more (one that did not empty is reconsidered next cycle). */
    void clearVictims() {
        Arrays.fill(victims, 0);
    }

    /** Whether compaction should move the record at {@code address}: its page is one the cycle empties. O(1). */
    boolean isMovable(int address) {
        int id = address >>> offsetBits;
        return (victims[id >>> 6] & (1L << id)) != 0;
    }

    private boolean isOwnPage(int id) {
        return (ownPages[id >>> 6] & (1L << id)) != 0;
    }

    // ---- Reads: any thread, under the map's read protocol ----

    /** Whether the record's key equals {@code key}. */
    boolean keyEquals(int address, byte[] key) {
        byte[] page = pages[address >>> offsetBits];
        int at = offsetOf(address);
        long lengths = lengths(page, at);
        int keyLength = (int) lengths;
        if (keyLength != key.length) {
            return false;
        }
        int keyStart = at + headerWidth(keyLength, (int) (lengths >>> 32));
        return Arrays.equals(page, keyStart, keyStart + keyLength, key, 0, keyLength);
    }

    /** The record's key compared with {@code key} in unsigned byte order: negative if the record's sorts first. */
    int compareKey(int address, byte[] key) {
        byte[] page = pages[address >>> offsetBits];
        int at = offsetOf(address);
        long lengths = lengths(page, at);
        int keyLength = (int) lengths;
        int keyStart = at + headerWidth(keyLength, (int) (lengths >>> 32));
        return Arrays.compareUnsigned(page, keyStart, keyStart + keyLength, key, 0, key.length);
    }

    /** The 4 bytes of the record's key from {@code offset}, big-endian, zero-padded ({@link KeyHeads#headOf}). */
    int keyHead(int address, int offset) {
        byte[] page = pages[address >>> offsetBits];
        int at = offsetOf(address);
        long lengths = lengths(page, at);
        int keyLength = (int) lengths;
        return KeyHeads.headOf(page, at + headerWidth(keyLength, (int) (lengths >>> 32)), keyLength, offset);
    }

    /** Inline prefix word {@code index} of a node whose prefix is the first {@code prefixLength} bytes of this key. */
    long prefixWord(int address, int prefixLength, int index) {
        byte[] page = pages[address >>> offsetBits];
        int at = offsetOf(address);
        long lengths = lengths(page, at);
        return KeyHeads.prefixWord(page, at + headerWidth((int) lengths, (int) (lengths >>> 32)), prefixLength, index);
    }

    /** Bytes shared at the start of the keys of the records at {@code a} and {@code b}. Writer. */
    int commonKeyPrefix(int a, int b) {
        byte[] pageA = pages[a >>> offsetBits];
        int atA = offsetOf(a);
        long lengthsA = lengths(pageA, atA);
        int keyLengthA = (int) lengthsA;
        int startA = atA + headerWidth(keyLengthA, (int) (lengthsA >>> 32));
        byte[] pageB = pages[b >>> offsetBits];
        int atB = offsetOf(b);
        long lengthsB = lengths(pageB, atB);
        int keyLengthB = (int) lengthsB;
        int startB = atB + headerWidth(keyLengthB, (int) (lengthsB >>> 32));
        int mismatch = Arrays.mismatch(pageA, startA, startA + keyLengthA, pageB, startB, startB + keyLengthB);
        return mismatch < 0 ? keyLengthA : mismatch;
    }

    /** Whether the record's key lies in {@code range}. */
    boolean keyInRange(int address, KeyRange range) {
        byte[] page = pages[address >>> offsetBits];
        int at = offsetOf(address);
        long lengths = lengths(page, at);
        int keyLength = (int) lengths;
        int keyStart = at + headerWidth(keyLength, (int) (lengths >>> 32));
        return range.contains(page, keyStart, keyStart + keyLength);
    }

    /** The hash of the record's key. */
    long hashKey(int address, KeyHasher hasher) {
        byte[] page = pages[address >>> offsetBits];
        int at = offsetOf(address);
        long lengths = lengths(page, at);
        int keyLength = (int) lengths;
        return hasher.hash(page, at + headerWidth(keyLength, (int) (lengths >>> 32)), keyLength);
    }

    /** A new array holding the record's key. */
    byte[] copyKey(int address) {
        return copyKeyPrefix(address, Integer.MAX_VALUE);
    }

    /** A new array holding the first {@code length} bytes of the record's key (all of it if it is shorter). */
    byte[] copyKeyPrefix(int address, int length) {
        byte[] page = pages[address >>> offsetBits];
        int at = offsetOf(address);
        long lengths = lengths(page, at);
        int keyLength = (int) lengths;
        int keyStart = at + headerWidth(keyLength, (int) (lengths >>> 32));
        return copyOut(page, keyStart, Math.min(keyLength, length));
    }

    /** A new array holding the record's value. */
    byte[] copyValue(int address) {
        byte[] page = pages[address >>> offsetBits];
        int at = offsetOf(address);
        long lengths = lengths(page, at);
        int keyLength = (int) lengths;
        int valueLength = (int) (lengths >>> 32);
        return copyOut(page, at + headerWidth(keyLength, valueLength) + keyLength, valueLength);
    }

    /** The length of the record's value. */
    int valueLength(int address) {
        byte[] page = pages[address >>> offsetBits];
        return (int) (lengths(page, offsetOf(address)) >>> 32);
    }

    /** The record's extent. Writer. */
    int extentAt(int address) {
        long lengths = lengths(pages[address >>> offsetBits], offsetOf(address));
        return extentOf((int) lengths, (int) (lengths >>> 32));
    }

    /** Reads the record's first byte, so that its cache line is on its way; returns it. */
    int touch(int address) {
        return pages[address >>> offsetBits][offsetOf(address)];
    }

    /**
     * A copy of {@code length} bytes of {@code page} from {@code start}. Checks the bounds before it allocates: on a
     * torn read the length may be garbage, and must not become an allocation larger than the page.
     */
    static byte[] copyOut(byte[] page, int start, int length) {
        if (length < 0 || start < 0 || length > page.length - start) {
            throw new IndexOutOfBoundsException("record of " + length + " bytes at " + start + " past its page");
        }
        return Arrays.copyOfRange(page, start, start + length);
    }

    // ---- Statistics ----

    /** Extents of the live records. */
    long recordBytes() {
        return recordBytes;
    }

    /** Bytes of the pages held. */
    long heldBytes() {
        return heldBytes;
    }

    /** Pages held. */
    int pagesHeld() {
        return pagesHeld;
    }

    /** Heap bytes of the pages, their headers and the per-page bookkeeping (compressed references). */
    long estimatedBytes() {
        return heldBytes + 16L * pagesHeld + 16 + 4L * pages.length + 16 + 4L * liveBytes.length + 16L * ownPages.length
                + 4L * freeIds.length + 64;
    }

    // ---- Record layout ----

    int addressOf(int pageId, int offset) {
        return (pageId << offsetBits) | (offset >>> ALIGNMENT_SHIFT);
    }

    int pageIdOf(int address) {
        return address >>> offsetBits;
    }

    int offsetOf(int address) {
        return (address & offsetMask) << ALIGNMENT_SHIFT;
    }

    /**
     * The extent of a record: header, key and value, rounded up to {@value #ALIGNMENT} bytes.
     *
     * @throws IllegalArgumentException if that does not fit in an array
     */
    static int extentOf(int keyLength, int valueLength) {
        long size = (long) headerWidth(keyLength, valueLength) + keyLength + valueLength;
        long extent = (size + ALIGNMENT - 1) & -ALIGNMENT;
        if (extent > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("a key of " + keyLength + " bytes and a value of " + valueLength
                    + " bytes do not fit in one array");
        }
        return (int) extent;
    }

    static int headerWidth(int keyLength, int valueLength) {
        return varintWidth(keyLength) + varintWidth(valueLength);
    }

    /** Bytes of the minimal unsigned LEB128 encoding of {@code n} (non-negative): 1 below 128, up to 5. */
    static int varintWidth(int n) {
        return (38 - Integer.numberOfLeadingZeros(n | 1)) / 7;
    }

    /** Writes the two lengths at {@code at}; returns where the key starts. */
    private static int writeHeader(byte[] page, int at, int keyLength, int valueLength) {
        return writeVarint(page, writeVarint(page, at, keyLength), valueLength);
    }

    private static int writeVarint(byte[] page, int at, int n) {
        int position = at;
        int rest = n;
        while (rest >= 0x80) {
            page[position++] = (byte) (rest | 0x80);
            rest >>>= 7;
        }
        page[position++] = (byte) rest;
        return position;
    }

    /** The key length (low 32 bits) and value length (high 32 bits) of the record at {@code at}. */
    static long lengths(byte[] page, int at) {
        int keyByte = page[at];
        int valueByte = page[at + 1];
        if ((keyByte | valueByte) >= 0) {
            return keyByte | ((long) valueByte << 32); // both below 128: the common case
        }
        int keyLength = readVarint(page, at);
        int valueLength = readVarint(page, at + varintWidth(keyLength));
        return (keyLength & 0xFFFF_FFFFL) | ((long) valueLength << 32);
    }

    /** A varint of at most 5 bytes; on torn bytes, some number (the caller's bounds checks catch it). */
    private static int readVarint(byte[] page, int at) {
        int n = 0;
        for (int i = 0; i < 5; i++) {
            int b = page[at + i];
            n |= (b & 0x7F) << (7 * i);
            if (b >= 0) {
                return n;
            }
        }
        return n;
    }

    // ---- Invariants ----

    /**
     * Checks the arena against the live records' addresses (see the class invariants). O(pages + records log records).
     *
     * @param addresses  the address of every live record, in any order
     * @param count      how many of {@code addresses} are live records
     * @param compacting whether a compaction cycle runs (only then may pages be its victims)
     * @throws InvariantViolation if any invariant does not hold
     */
    void checkInvariants(int[] addresses, int count, boolean compacting) {
        long[] byPage = new long[count];
        for (int i = 0; i < count; i++) {
            int address = addresses[i];
            int id = pageIdOf(address);
            InvariantViolation.check(id > 0 && id < nextId && pages[id] != null,
                    "address %08x refers to page %d, which is not held", address, id);
            byPage[i] = ((long) id << 32) | offsetOf(address);
        }
        Arrays.sort(byPage);
        long[] live = new long[nextId];
        int[] records = new int[nextId];
        long recordsSeen = 0;
        int previousId = -1;
        long previousEnd = 0;
        for (long location : byPage) {
            int id = (int) (location >>> 32);
            int at = (int) location;
            byte[] page = pages[id];
            long lengths = lengths(page, at);
            int keyLength = (int) lengths;
            int valueLength = (int) (lengths >>> 32);
            InvariantViolation.check(keyLength >= 0 && valueLength >= 0,
                    "the record at page %d offset %d has lengths %d and %d", id, at, keyLength, valueLength);
            int extent = extentOf(keyLength, valueLength);
            long end = (long) at + extent;
            long limit = id == appendPage ? appendOffset : page.length;
            InvariantViolation.check(end <= limit, "the record at page %d offset %d ends at %d, past the page's %d bytes",
                    id, at, end, limit);
            InvariantViolation.check(id != previousId || at >= previousEnd,
                    "the records at page %d offset %d and before it overlap", id, at);
            InvariantViolation.check(!isOwnPage(id) || at == 0 && extent == page.length,
                    "own page %d of %d bytes holds a record of %d bytes at offset %d", id, page.length, extent, at);
            live[id] += extent;
            records[id]++;
            recordsSeen += extent;
            previousId = id;
            previousEnd = end;
        }
        int held = 0;
        long heldSeen = 0;
        long sealedSeen = 0;
        long deadSeen = 0;
        boolean[] free = new boolean[nextId];
        for (int i = 0; i < freeIdCount; i++) {
            int id = freeIds[i];
            InvariantViolation.check(id > 0 && id < nextId && !free[id] && pages[id] == null,
                    "free page id %d is out of range, free twice or held", id);
            free[id] = true;
        }
        for (int id = 0; id < victims.length << 6; id++) {
            boolean victim = (victims[id >>> 6] & (1L << id)) != 0;
            InvariantViolation.check(!victim || compacting && id > 0 && id < nextId && pages[id] != null
                            && !isOwnPage(id) && id != appendPage,
                    "page %d is a compaction victim but not a sealed shared page of a running cycle", id);
        }
        for (int id = 1; id < nextId; id++) {
            byte[] page = pages[id];
            if (page == null) {
                InvariantViolation.check(free[id], "page id %d is neither held nor free", id);
                InvariantViolation.check(id != appendPage, "the append page %d is not held", id);
                continue;
            }
            held++;
            heldSeen += page.length;
            InvariantViolation.check(liveBytes[id] == live[id], "page %d counts %d live bytes, its records take %d", id,
                    liveBytes[id], live[id]);
            InvariantViolation.check(live[id] > 0 || id == appendPage, "page %d is held with no live record", id);
            boolean own = isOwnPage(id);
            InvariantViolation.check(!own || records[id] == 1, "own page %d holds %d records", id, records[id]);
            InvariantViolation.check(own || page.length == pageBytes, "shared page %d has %d bytes", id, page.length);
            if (!own && id != appendPage) {
                sealedSeen += pageBytes;
                deadSeen += pageBytes - live[id];
            }
        }
        InvariantViolation.check(appendPage == 0 || !isOwnPage(appendPage), "the append page %d is an own page",
                appendPage);
        InvariantViolation.check(appendOffset % ALIGNMENT == 0 && appendOffset <= pageBytes,
                "the append page is filled to %d", appendOffset);
        InvariantViolation.check(held == pagesHeld, "the arena counts %d pages, it holds %d", pagesHeld, held);
        InvariantViolation.check(heldSeen == heldBytes, "the arena counts %d page bytes, it holds %d", heldBytes, heldSeen);
        InvariantViolation.check(recordsSeen == recordBytes, "the arena counts %d record bytes, its records take %d",
                recordBytes, recordsSeen);
        InvariantViolation.check(sealedSeen == sealedBytes, "the arena counts %d sealed bytes, its sealed pages hold %d",
                sealedBytes, sealedSeen);
        InvariantViolation.check(deadSeen == deadBytes, "the arena counts %d dead bytes, its sealed pages have %d",
                deadBytes, deadSeen);
    }
}
