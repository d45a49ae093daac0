package io.xbzrle.codec.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.xbzrle.api.codec.CodecProvider;
import io.xbzrle.api.codec.PageCodec;
import java.util.Locale;

/** The {@code xbzrle} codec: QEMU's XBZRLE. Settings: {@code xbzrle.codecs.xbzrle}. */
public final class XbzrleCodecProvider implements CodecProvider {

    /** The name configuration selects this codec by. */
    public static final String NAME = "xbzrle";
    private static final String VECTOR = "xbzrle.codecs.xbzrle.vector";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PageCodec create(int pageSize, Config config) {
        String mode;
        try {
            mode = config.hasPath("vector") ? config.getString("vector").toLowerCase(Locale.ROOT) : "auto";
        } catch (ConfigException e) {
            throw new IllegalArgumentException(VECTOR + ": " + e.getMessage(), e);
        }
        boolean vector = switch (mode) {
            case "auto" -> XbzrleCodec.vectorPreferred();
            case "off" -> false;
            case "on" -> {
                if (!XbzrleCodec.vectorAvailable()) {
                    throw new IllegalArgumentException(VECTOR + " = on, but this runtime does not offer the Vector "
                            + "API: run java with --add-modules jdk.incubator.vector (JAVA_OPTS)");
                }
                yield true;
            }
            default -> throw new IllegalArgumentException(VECTOR + ": must be auto, on or off, not '" + mode + "'");
        };
        return new XbzrleCodec(pageSize, vector);
    }
}
