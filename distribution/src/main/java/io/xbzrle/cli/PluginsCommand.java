package io.xbzrle.cli;

import static java.util.Objects.requireNonNull;

import io.xbzrle.migration.plugins.Plugin;
import io.xbzrle.migration.plugins.PluginRegistry;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code xbzrle plugins}: every codec, cache policy and transport found. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = {
            "Lists every codec, cache policy and transport found: built into lib/, or in a jar (or folder of "
                + "jars) in plugins/, each loaded in a module layer of its own.",
            "A plugin that cannot be loaded, or two providers of one name, are reported on stderr (exit 2)."})
final class PluginsCommand implements Callable<Integer> {
    private final Context context;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object on stdout and nothing else there")
    boolean json;

    @Mixin
    CommonOptions common = new CommonOptions();

    PluginsCommand(Context context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call() {
        PluginRegistry registry = context.registry();
        PrintWriter out = spec.commandLine().getOut();
        Map<String, List<? extends Plugin<?>>> kinds = new LinkedHashMap<>();
        kinds.put("codecs", registry.codecs());
        kinds.put("cache-policies", registry.cachePolicies());
        kinds.put("transports", registry.transports());
        if (json) {
            Map<String, Object> root = new LinkedHashMap<>();
            kinds.forEach((kind, plugins) -> {
                List<Object> list = new ArrayList<>();
                for (Plugin<?> p : plugins) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", p.name());
                    m.put("module", p.module());
                    m.put("version", p.version());
                    m.put("origin", p.origin());
                    list.add(m);
                }
                root.put(kind, list);
            });
            out.println(Json.write(root));
        } else {
            kinds.forEach((kind, plugins) -> {
                out.println(kind + ":");
                if (plugins.isEmpty()) {
                    out.println("  (none)");
                }
                for (Plugin<?> p : plugins) {
                    out.printf("  %-10s %-28s %-16s %s%n", p.name(), p.module(), p.version(), p.origin());
                }
            });
        }
        PrintWriter err = spec.commandLine().getErr();
        for (String problem : registry.problems()) {
            err.println("xbzrle: plugins: " + problem);
        }
        return registry.problems().isEmpty() ? ExitCodes.OK : ExitCodes.USAGE;
    }
}
