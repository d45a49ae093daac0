package io.xbzrle.codec.internal;

import com.typesafe.config.Config;
import io.xbzrle.api.codec.CodecProvider;
import io.xbzrle.api.codec.PageCodec;

/** The {@code xbzrle} codec: QEMU's XBZRLE. */
public final class XbzrleCodecProvider implements CodecProvider {

    /** The name configuration selects this codec by. */
    public static final String NAME = "xbzrle";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PageCodec create(int pageSize, Config config) {
        return new XbzrleCodec(pageSize);
    }
}
