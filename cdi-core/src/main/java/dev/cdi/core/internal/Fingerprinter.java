package dev.cdi.core.internal;

import dev.cdi.api.Column;
import dev.cdi.api.SourceRow;
import dev.cdi.core.state.Fingerprint;
import java.time.Instant;
import java.util.Optional;

/**
 * Computes a row's {@link Fingerprint}: MurmurHash3 (x64, 128-bit) over the row's text columns (identifiers,
 * payload, catalog id and flag), each tagged with its column and length, and its {@code UPDATED_AT}. Streams the
 * characters without copying them, since it runs once per row.
 *
 * <p>Not thread-safe: one instance per run.
 */
final class Fingerprinter {
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;
    private static final Column[] TEXT_COLUMNS = {Column.EXTERNAL_ID, Column.ALIAS_NAME, Column.ALIAS_LABEL,
        Column.BRAZE_ID, Column.EMAIL, Column.PHONE, Column.PAYLOAD, Column.ID, Column.DELETED};

    private long h1;
    private long h2;
    private long pendingWord;
    private int pendingChars;
    private long firstWordOfBlock;
    private boolean haveFirstWord;
    private long length;

    Fingerprint of(SourceRow row) {
        h1 = 0x9368e53c2f6af274L;
        h2 = 0x586dcd208f7cd3fdL;
        pendingWord = 0;
        pendingChars = 0;
        haveFirstWord = false;
        length = 0;
        for (Column column : TEXT_COLUMNS) {
            Optional<String> value = row.value(column);
            if (value.isPresent()) {
                String text = value.get();
                addWord(((long) column.ordinal() << 32) | text.length());
                for (int i = 0; i < text.length(); i++) {
                    addChar(text.charAt(i));
                }
                flushChars();
            }
        }
        Optional<Instant> updatedAt = row.updatedAt();
        if (updatedAt.isPresent()) {
            addWord(updatedAt.get().getEpochSecond());
            addWord(updatedAt.get().getNano());
        }
        return finish();
    }

    private void addChar(char c) {
        pendingWord |= ((long) c) << (pendingChars * 16);
        if (++pendingChars == 4) {
            addWord(pendingWord);
            pendingWord = 0;
            pendingChars = 0;
        }
    }

    private void addWord(long word) {
        length += 8;
        if (!haveFirstWord) {
            firstWordOfBlock = word;
            haveFirstWord = true;
            return;
        }
        haveFirstWord = false;
        long k1 = firstWordOfBlock;
        long k2 = word;
        k1 *= C1;
        k1 = Long.rotateLeft(k1, 31);
        k1 *= C2;
        h1 ^= k1;
        h1 = Long.rotateLeft(h1, 27);
        h1 += h2;
        h1 = h1 * 5 + 0x52dce729;
        k2 *= C2;
        k2 = Long.rotateLeft(k2, 33);
        k2 *= C1;
        h2 ^= k2;
        h2 = Long.rotateLeft(h2, 31);
        h2 += h1;
        h2 = h2 * 5 + 0x38495ab5;
    }

    private void flushChars() {
        if (pendingChars > 0) {
            addWord(pendingWord);
            pendingWord = 0;
            pendingChars = 0;
        }
    }

    private Fingerprint finish() {
        if (haveFirstWord) {
            long k1 = firstWordOfBlock * C1;
            k1 = Long.rotateLeft(k1, 31);
            k1 *= C2;
            h1 ^= k1;
        }
        h1 ^= length;
        h2 ^= length;
        h1 += h2;
        h2 += h1;
        h1 = mix(h1);
        h2 = mix(h2);
        h1 += h2;
        h2 += h1;
        return new Fingerprint(h1, h2);
    }

    private static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
