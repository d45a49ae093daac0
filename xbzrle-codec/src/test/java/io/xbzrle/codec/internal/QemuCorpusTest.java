package io.xbzrle.codec.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.xbzrle.api.codec.CorruptDeltaException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Byte-identical to QEMU's scalar encoder on every page of the shared corpus, and decodes its output. */
final class QemuCorpusTest {
    private static final int GUARD = 64;
    private static List<Corpus.Workload> workloads;

    @BeforeAll
    static void load() {
        Optional<Path> dir = Corpus.find();
        if (dir.isEmpty()) {
            System.out.println(Corpus.ABSENT);
        }
        workloads = dir.map(Corpus::load).orElse(List.of());
    }

    private static void needCorpus() {
        assumeTrue(!workloads.isEmpty(), Corpus.ABSENT);
    }

    @Test
    void encoderMatchesQemuOnEveryPage() {
        needCorpus();
        for (XbzrleCodec codec : Codecs.all(Corpus.PAGE)) {
            encoderMatchesQemuOnEveryPage(codec);
        }
    }

    private static void encoderMatchesQemuOnEveryPage(XbzrleCodec codec) {
        byte[] out = new byte[Corpus.PAGE + GUARD];
        int pages = 0;
        for (Corpus.Workload w : workloads) {
            assertEquals(w.pages(), w.qemu().size(), w.name() + ": entry count");
            for (int p = 0; p < w.pages(); p++) {
                Arrays.fill(out, (byte) 0xA5);
                int n = codec.encode(w.old(), p * Corpus.PAGE, w.cur(), p * Corpus.PAGE, out, 0, Corpus.PAGE);
                Corpus.Entry want = w.qemu().get(p);
                String where = Codecs.name(codec) + ": " + w.name() + " page " + p;
                assertEquals(want.result(), n, where + ": return value");
                if (n > 0) {
                    assertArrayEquals(want.bytes(), Arrays.copyOf(out, n), where + ": encoded bytes");
                }
                for (int g = Corpus.PAGE; g < out.length; g++) {
                    assertEquals((byte) 0xA5, out[g], where + ": wrote past the output limit at " + g);
                }
                pages++;
            }
        }
        assertTrue(pages >= 2753, "the public corpus has 2753 pages, saw " + pages);
    }

    @Test
    void decoderAppliesQemuOutput() throws CorruptDeltaException {
        needCorpus();
        byte[] page = new byte[Corpus.PAGE + 2 * GUARD];
        for (XbzrleCodec codec : Codecs.decoders(Corpus.PAGE)) {
            for (Corpus.Workload w : workloads) {
                for (int p = 0; p < w.pages(); p++) {
                    Corpus.Entry e = w.qemu().get(p);
                    if (e.result() <= 0) {
                        continue;
                    }
                    Arrays.fill(page, (byte) 0x5A);
                    System.arraycopy(w.old(), p * Corpus.PAGE, page, GUARD, Corpus.PAGE);
                    int end = codec.decode(e.bytes(), 0, e.bytes().length, page, GUARD);
                    String where = Codecs.decoderName(codec) + ": " + w.name() + " page " + p;
                    assertArrayEquals(Arrays.copyOfRange(w.cur(), p * Corpus.PAGE, (p + 1) * Corpus.PAGE),
                            Arrays.copyOfRange(page, GUARD, GUARD + Corpus.PAGE), where);
                    assertTrue(end > 0 && end <= Corpus.PAGE, where + ": end " + end);
                    for (int g = 0; g < GUARD; g++) {
                        assertEquals((byte) 0x5A, page[g], where + ": wrote before the page");
                        assertEquals((byte) 0x5A, page[GUARD + Corpus.PAGE + g], where + ": wrote after the page");
                    }
                }
            }
        }
    }

    /**
     * The pages where QEMU's AVX512 encoder misbehaves (QEMU-NOTES §2): on boundary 89 and 90 it
     * returns 4095/4096 where the scalar encoder returns -1 (we follow the scalar one); on 99 and
     * 100 it writes 2 bytes past the output limit (we never do).
     */
    @Test
    void avx512DivergencePagesFollowTheScalarEncoder() {
        needCorpus();
        Corpus.Workload boundary = workloads.stream().filter(w -> w.name().equals("boundary")).findFirst()
                .orElseThrow();
        for (XbzrleCodec codec : Codecs.all(Corpus.PAGE)) {
            avx512DivergencePages(boundary, codec);
        }
    }

    private static void avx512DivergencePages(Corpus.Workload boundary, XbzrleCodec codec) {
        for (int p : new int[] {89, 90, 99, 100}) {
            byte[] out = new byte[Corpus.PAGE + 8];
            Arrays.fill(out, (byte) 0x77);
            int n = codec.encode(boundary.old(), p * Corpus.PAGE, boundary.cur(), p * Corpus.PAGE, out, 0,
                    Corpus.PAGE);
            assertEquals(-1, n, Codecs.name(codec) + ": boundary page " + p);
            for (int g = Corpus.PAGE; g < out.length; g++) {
                assertEquals((byte) 0x77, out[g], "boundary page " + p + " wrote past the limit");
            }
        }
    }
}
