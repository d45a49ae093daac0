package io.xbzrle.migration.stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.util.List;

/**
 * Jazzer fuzz tests of the stream's parsers. In a normal build they run in regression mode over the
 * inputs kept in {@code src/test/resources/io/xbzrle/migration/stream/StreamReaderFuzzTestInputs/};
 * {@code JAZZER_FUZZ=1} with the {@code fuzz} profile fuzzes for real. They run on the class path:
 * Jazzer cannot be on the module path.
 */
final class StreamReaderFuzzTest {
    private static final Limits LIMITS = new Limits(64 << 10, 64, 1 << 20);
    private static final StreamHeader HEADER = StreamHeader.v1(64,
            List.of(new Region(0, "pc.ram", 64), new Region(7, "vga.vram", 4)), true, "xbzrle");

    /** Any bytes as a whole stream: only {@link StreamException} comes out, and data stays in bounds. */
    @FuzzTest(maxDuration = "30s")
    void readerTakesAnyStream(byte[] stream) throws IOException {
        readAll(stream);
    }

    /**
     * Any bytes as the payload of a correctly framed frame behind a valid header, so that the
     * fuzzer reaches the record parser instead of stopping at the CRC.
     */
    @FuzzTest(maxDuration = "30s")
    void readerTakesAnyRecords(byte[] payload) throws IOException {
        if (payload.length == 0 || payload.length > HEADER.frameCapacity()) {
            return;
        }
        readAll(Wire.concat(Wire.headerBytes(HEADER), Wire.frame(payload)));
    }

    /** Any bytes on the return path: a message or {@link StreamException}. */
    @FuzzTest(maxDuration = "30s")
    void returnPathTakesAnyBytes(byte[] bytes) throws IOException {
        Wire.Source in = new Wire.Source(bytes);
        try {
            while (true) {
                ReturnMessages.read(in);
            }
        } catch (StreamException e) {
            assertTrue(e.getMessage().startsWith("return path: "), e.getMessage());
        }
    }

    private static void readAll(byte[] stream) throws IOException {
        try {
            StreamReader r = StreamReader.open(new Wire.Source(stream), LIMITS);
            while (true) {
                RecordType t = r.next();
                switch (t) {
                    case RAW:
                    case XBZRLE:
                        assertTrue(r.dataOffset() >= 0 && r.dataOffset() + r.dataLength() <= r.data().length);
                        assertTrue(r.dataLength() <= r.header().pageSize());
                        assertTrue(r.index() >= 0);
                        break;
                    case ZERO:
                        assertTrue(r.index() >= 0);
                        break;
                    case COMPLETE:
                    case ABORT:
                        return;
                    default:
                        break;
                }
            }
        } catch (StreamException e) {
            assertTrue(e.getMessage().startsWith("stream offset "), e.getMessage());
            assertTrue(e.offset() >= 0 && e.offset() <= stream.length, e.getMessage());
        }
    }
}
