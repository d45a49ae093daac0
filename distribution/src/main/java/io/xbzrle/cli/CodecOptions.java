package io.xbzrle.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.xbzrle.api.codec.PageCodec;
import io.xbzrle.migration.config.CoreSettings;
import io.xbzrle.migration.plugins.PluginException;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --page-size}, and the codec the settings name. */
final class CodecOptions {
    @Option(names = "--page-size", paramLabel = "N",
            description = "Page size in bytes, a power of two (default: xbzrle.page-size, 4096)")
    Integer pageSize;

    /** The codec for these options and settings. */
    PageCodec codec(Context context, CommonOptions common) {
        Config settings = context.settings(common, Map.of());
        CoreSettings core = CoreSettings.from(settings);
        int size = pageSize != null ? pageSize : core.pageSize();
        String name = core.codec();
        Config own = settings.hasPath("xbzrle.codecs." + name)
                ? settings.getConfig("xbzrle.codecs." + name) : ConfigFactory.empty();
        try {
            return context.registry().codec(name).create(size, own);
        } catch (PluginException e) {
            throw new UserException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UserException((pageSize != null ? "--page-size: " : "xbzrle.page-size: ") + e.getMessage(), e);
        }
    }
}
