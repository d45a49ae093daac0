package io.xbzrle.codec.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The codec's variants under test: encoders portable (copying short runs as words or with
 * {@code System.arraycopy}), and Vector API when the test JVM offers it; decoders writing short
 * runs as masked words or with {@code System.arraycopy}.
 */
final class Codecs {
    private Codecs() {
    }

    static List<XbzrleCodec> all(int pageSize) {
        List<XbzrleCodec> out = new ArrayList<>();
        out.add(new XbzrleCodec(pageSize, false, false));
        out.add(new XbzrleCodec(pageSize, false, true));
        if (XbzrleCodec.vectorAvailable()) {
            out.add(new XbzrleCodec(pageSize, true));
        } else {
            System.out.println("the Vector API is not available in this JVM: only the portable path is tested");
        }
        return out;
    }

    /** Both decoders, whichever this machine prefers. */
    static List<XbzrleCodec> decoders(int pageSize) {
        return List.of(new XbzrleCodec(pageSize, false, false), new XbzrleCodec(pageSize, false, true));
    }

    static String name(XbzrleCodec codec) {
        return (codec.vector() ? "vector" : "portable") + (codec.arraycopyRuns() ? ", arraycopy runs" : "");
    }

    static String decoderName(XbzrleCodec codec) {
        return codec.arraycopyRuns() ? "arraycopy decoder" : "masked decoder";
    }
}
