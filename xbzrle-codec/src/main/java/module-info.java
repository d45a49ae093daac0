import io.xbzrle.api.codec.CodecProvider;
import io.xbzrle.codec.internal.XbzrleCodecProvider;

/**
 * The XBZRLE page codec, byte-compatible with QEMU's encoder ({@code migration/xbzrle.c}), with
 * zero-page detection and ULEB128 lengths. Exports nothing: it is used through
 * {@link io.xbzrle.api.codec.CodecProvider} under the name {@code xbzrle}.
 */
module io.xbzrle.codec {
    requires io.xbzrle.api;
    // Optional: the accelerated path is used only when the runtime resolved this module
    // (java --add-modules jdk.incubator.vector); without it the portable path runs.
    requires static jdk.incubator.vector;
    // Optional: read to choose how the decoder writes short runs (XbzrleCodec.arraycopyRunsPreferred).
    requires static jdk.management;

    provides CodecProvider with XbzrleCodecProvider;
}
