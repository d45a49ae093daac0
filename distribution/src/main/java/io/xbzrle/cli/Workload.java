package io.xbzrle.cli;

/**
 * A named set of page pairs for {@code bench codec}: page i of {@code current} is the new content
 * of page i of {@code old}.
 */
record Workload(String name, int pageSize, byte[] old, byte[] current) {
    int pages() {
        return old.length / pageSize;
    }
}
