package io.xbzrle.codec.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.xbzrle.api.codec.CodecProvider;
import io.xbzrle.api.codec.PageCodec;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

final class ProviderTest {

    @Test
    void serviceLoaderFindsTheXbzrleCodec() {
        getClass().getModule().addUses(CodecProvider.class);
        CodecProvider provider = ServiceLoader.load(CodecProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("xbzrle"))
                .findFirst().orElseThrow();
        PageCodec codec = provider.create(8192, ConfigFactory.empty());
        assertEquals(8192, codec.pageSize());
    }

    @Test
    void refusesPageSizesThatAreNotPowersOfTwo() {
        CodecProvider provider = new XbzrleCodecProvider();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> provider.create(4000, ConfigFactory.empty()));
        assertTrue(e.getMessage().contains("4000"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> provider.create(32, ConfigFactory.empty()));
    }
}
