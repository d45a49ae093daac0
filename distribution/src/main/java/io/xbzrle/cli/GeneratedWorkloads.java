package io.xbzrle.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Workloads {@code bench codec} makes itself when given no corpus: the shapes of the shared
 * corpus (sparse heap writes, counters, text edits, dense and random changes, zero pages and a
 * mix of them), generated from a fixed seed so that runs compare.
 */
final class GeneratedWorkloads {
    private static final long SEED = 20261122L;
    private static final String[] KINDS = {"unchanged", "counter-seed", "sparse-runs", "words-10pct", "text-edit",
        "dense-alternate", "full-random", "zero-to-data", "data-to-zero"};
    private static final int[] MIX_WEIGHTS = {10, 10, 20, 15, 15, 5, 5, 10, 10};

    private GeneratedWorkloads() {
    }

    static List<Workload> all(int pageSize) {
        List<Workload> out = new ArrayList<>();
        for (String kind : KINDS) {
            out.add(make(kind, pageSize, 256, new SplittableRandom(SEED ^ kind.hashCode())));
        }
        out.add(mixed(pageSize, 1024, new SplittableRandom(SEED)));
        return out;
    }

    private static Workload make(String kind, int pageSize, int pages, SplittableRandom rnd) {
        byte[] old = new byte[pages * pageSize];
        byte[] cur = new byte[pages * pageSize];
        for (int p = 0; p < pages; p++) {
            page(kind, rnd, old, cur, p * pageSize, pageSize);
        }
        return new Workload(kind, pageSize, old, cur);
    }

    private static Workload mixed(int pageSize, int pages, SplittableRandom rnd) {
        byte[] old = new byte[pages * pageSize];
        byte[] cur = new byte[pages * pageSize];
        int total = 0;
        for (int w : MIX_WEIGHTS) {
            total += w;
        }
        for (int p = 0; p < pages; p++) {
            int r = rnd.nextInt(total);
            int k = 0;
            while (r >= MIX_WEIGHTS[k]) {
                r -= MIX_WEIGHTS[k++];
            }
            page(KINDS[k], rnd, old, cur, p * pageSize, pageSize);
        }
        return new Workload("mixed", pageSize, old, cur);
    }

    private static void page(String kind, SplittableRandom rnd, byte[] old, byte[] cur, int at, int size) {
        switch (kind) {
            case "unchanged", "counter-seed", "dense-alternate" -> randomBytes(rnd, old, at, size);
            case "full-random" -> {
                randomBytes(rnd, old, at, size);
                randomBytes(rnd, cur, at, size);
                return;
            }
            case "text-edit" -> text(rnd, old, at, size);
            case "zero-to-data" -> {
                int len = 64 + rnd.nextInt(size - 63);
                heap(rnd, cur, at, len);
                return;
            }
            case "data-to-zero" -> {
                heap(rnd, old, at, size);
                return;
            }
            default -> heap(rnd, old, at, size);
        }
        System.arraycopy(old, at, cur, at, size);
        switch (kind) {
            case "counter-seed" -> {
                for (int i = 0; i < size; i += 1024) {
                    cur[at + i]++;
                }
            }
            case "sparse-runs" -> {
                int changed = size * (2 + rnd.nextInt(4)) / 100;
                while (changed > 0) {
                    int len = Math.min(changed, 1 + rnd.nextInt(32));
                    int start = rnd.nextInt(size - len + 1);
                    for (int i = 0; i < len; i++) {
                        cur[at + start + i] ^= (byte) (1 + rnd.nextInt(255));
                    }
                    changed -= len;
                }
            }
            case "words-10pct" -> {
                int words = size / 8;
                int n = words * (8 + rnd.nextInt(5)) / 100;
                for (int k = 0; k < n; k++) {
                    int w = at + rnd.nextInt(words) * 8;
                    long v = 0;
                    for (int b = 7; b >= 0; b--) {
                        v = (v << 8) | (cur[w + b] & 0xff);
                    }
                    v = rnd.nextInt(10) < 7 ? v + 1 + rnd.nextInt(1000) : rnd.nextLong();
                    for (int b = 0; b < 8; b++) {
                        cur[w + b] = (byte) (v >>> (8 * b));
                    }
                }
            }
            case "text-edit" -> {
                int edits = 1 + rnd.nextInt(5);
                for (int e = 0; e < edits; e++) {
                    int len = 1 + rnd.nextInt(12);
                    int start = rnd.nextInt(size - len);
                    for (int i = 0; i < len; i++) {
                        cur[at + start + i] = (byte) ('a' + rnd.nextInt(26));
                    }
                }
            }
            case "dense-alternate" -> {
                for (int i = rnd.nextInt(2); i < size; i += 2) {
                    cur[at + i] ^= (byte) (1 + rnd.nextInt(255));
                }
            }
            default -> { } // unchanged
        }
    }

    private static void randomBytes(SplittableRandom rnd, byte[] b, int at, int len) {
        for (int i = 0; i < len; i += 8) {
            long v = rnd.nextLong();
            for (int k = 0; k < 8 && i + k < len; k++) {
                b[at + i + k] = (byte) (v >>> (8 * k));
            }
        }
    }

    /** 64-bit words as a heap holds them: zeros, small integers, pointers, random, ASCII. */
    private static void heap(SplittableRandom rnd, byte[] b, int at, int len) {
        for (int i = 0; i + 8 <= len; i += 8) {
            long v = switch (rnd.nextInt(5)) {
                case 0 -> 0L;
                case 1 -> rnd.nextInt(1 << 16);
                case 2 -> 0x00007f0000000000L | (rnd.nextLong() & 0xfffffff8L);
                case 3 -> rnd.nextLong();
                default -> 0x2020202020202020L + (rnd.nextLong() & 0x1f1f1f1f1f1f1f1fL);
            };
            for (int k = 0; k < 8; k++) {
                b[at + i + k] = (byte) (v >>> (8 * k));
            }
        }
    }

    private static void text(SplittableRandom rnd, byte[] b, int at, int len) {
        String line = "{\"id\": 0000000, \"name\": \"abcdefghij\", \"score\": 00000}\n";
        for (int i = 0; i < len; i++) {
            char c = line.charAt(i % line.length());
            b[at + i] = (byte) (c == '0' ? '0' + rnd.nextInt(10) : c);
        }
    }
}
