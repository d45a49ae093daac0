import io.xbzrle.api.codec.CodecProvider;
import io.xbzrle.codec.internal.XbzrleCodecProvider;

/**
 * The XBZRLE page codec, byte-compatible with QEMU's encoder ({@code migration/xbzrle.c}), with
 * zero-page detection and ULEB128 lengths. Exports nothing: it is used through
 * {@link io.xbzrle.api.codec.CodecProvider} under the name {@code xbzrle}.
 */
module io.xbzrle.codec {
    requires io.xbzrle.api;

    provides CodecProvider with XbzrleCodecProvider;
}
