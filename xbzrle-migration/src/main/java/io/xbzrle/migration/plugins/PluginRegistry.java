package io.xbzrle.migration.plugins;

import static java.util.Objects.requireNonNull;

import io.xbzrle.api.cache.PageCacheProvider;
import io.xbzrle.api.codec.CodecProvider;
import io.xbzrle.api.transport.TransportProvider;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every codec, cache policy and transport available: the built-in ones of the boot layer (or the
 * class path) and those of the jars in a {@code plugins/} folder, each jar (or each sub-folder of
 * jars) in a module layer of its own so that plugins cannot clash with each other.
 *
 * <p>A plugin that fails to load does not stop the others: its failure is kept in
 * {@link #problems()}. Two providers of one name (or of one URI scheme, compared
 * case-insensitively) are a problem too, and selecting that name fails naming both modules.
 *
 * <p>Immutable once loaded; thread-safe.
 */
public final class PluginRegistry {
    /** The origin of a provider of the boot layer or the class path. */
    public static final String BUILT_IN = "built-in";

    private final List<Plugin<CodecProvider>> codecs;
    private final List<Plugin<PageCacheProvider>> cachePolicies;
    private final List<Plugin<TransportProvider>> transports;
    private final List<ClassLoader> pluginLoaders;
    private final List<String> problems;

    private PluginRegistry(List<Plugin<CodecProvider>> codecs, List<Plugin<PageCacheProvider>> cachePolicies,
                           List<Plugin<TransportProvider>> transports, List<ClassLoader> pluginLoaders,
                           List<String> problems) {
        this.codecs = List.copyOf(codecs);
        this.cachePolicies = List.copyOf(cachePolicies);
        this.transports = List.copyOf(transports);
        this.pluginLoaders = List.copyOf(pluginLoaders);
        this.problems = List.copyOf(problems);
    }

    /** The built-in providers only. */
    public static PluginRegistry builtIn() {
        return load(Optional.empty());
    }

    /**
     * The built-in providers and those in {@code pluginsDir}, if given and present: every
     * {@code *.jar} directly in it is a layer of its own, every sub-folder one layer of all its jars.
     */
    public static PluginRegistry load(Optional<Path> pluginsDir) {
        requireNonNull(pluginsDir, "pluginsDir is null");
        List<Plugin<CodecProvider>> codecs = new ArrayList<>();
        List<Plugin<PageCacheProvider>> caches = new ArrayList<>();
        List<Plugin<TransportProvider>> transports = new ArrayList<>();
        List<ClassLoader> loaders = new ArrayList<>();
        List<String> problems = new ArrayList<>();

        ModuleLayer boot = PluginRegistry.class.getModule().getLayer();
        if (boot != null) {
            collect(ServiceLoader.load(boot, CodecProvider.class), boot, BUILT_IN, CodecProvider::name, codecs, problems);
            collect(ServiceLoader.load(boot, PageCacheProvider.class), boot, BUILT_IN, PageCacheProvider::name, caches,
                    problems);
            collect(ServiceLoader.load(boot, TransportProvider.class), boot, BUILT_IN, TransportProvider::scheme,
                    transports, problems);
        } else {
            // Class path (tests, embedding without modules): META-INF/services of the class path.
            ClassLoader cl = PluginRegistry.class.getClassLoader();
            collect(ServiceLoader.load(CodecProvider.class, cl), null, BUILT_IN, CodecProvider::name, codecs, problems);
            collect(ServiceLoader.load(PageCacheProvider.class, cl), null, BUILT_IN, PageCacheProvider::name, caches,
                    problems);
            collect(ServiceLoader.load(TransportProvider.class, cl), null, BUILT_IN, TransportProvider::scheme,
                    transports, problems);
        }

        if (pluginsDir.isPresent() && Files.isDirectory(pluginsDir.get())) {
            ModuleLayer parent = boot != null ? boot : ModuleLayer.boot();
            for (Path unit : pluginUnits(pluginsDir.get(), problems)) {
                String origin = "plugins/" + unit.getFileName();
                try {
                    ModuleLayer layer = defineLayer(parent, unit);
                    loaders.add(layer.modules().iterator().next().getClassLoader());
                    int before = codecs.size() + caches.size() + transports.size();
                    collect(ServiceLoader.load(layer, CodecProvider.class), layer, origin, CodecProvider::name, codecs,
                            problems);
                    collect(ServiceLoader.load(layer, PageCacheProvider.class), layer, origin, PageCacheProvider::name,
                            caches, problems);
                    collect(ServiceLoader.load(layer, TransportProvider.class), layer, origin,
                            TransportProvider::scheme, transports, problems);
                    if (codecs.size() + caches.size() + transports.size() == before) {
                        problems.add(origin + ": provides no codec, cache policy or transport");
                    }
                } catch (RuntimeException | LinkageError e) {
                    problems.add(origin + ": cannot be loaded: " + e.getMessage());
                }
            }
        }
        Comparator<Plugin<?>> byName = Comparator.comparing(Plugin::name);
        codecs.sort(byName);
        caches.sort(byName);
        transports.sort(byName);
        duplicates("codec", codecs, problems);
        duplicates("cache policy", caches, problems);
        duplicates("transport scheme", transports, problems);
        return new PluginRegistry(codecs, caches, transports, loaders, problems);
    }

    private static List<Path> pluginUnits(Path dir, List<String> problems) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> Files.isDirectory(p) || p.getFileName().toString().endsWith(".jar"))
                    .sorted().toList();
        } catch (IOException e) {
            problems.add(dir + ": cannot be listed: " + e.getMessage());
            return List.of();
        }
    }

    private static ModuleLayer defineLayer(ModuleLayer parent, Path unit) {
        ModuleFinder finder = ModuleFinder.of(unit);
        Set<String> roots = finder.findAll().stream().map(r -> r.descriptor().name()).collect(Collectors.toSet());
        if (roots.isEmpty()) {
            throw new PluginException("no jar in it");
        }
        Configuration cf = parent.configuration().resolveAndBind(finder, ModuleFinder.of(), roots);
        return parent.defineModulesWithOneLoader(cf, ClassLoader.getSystemClassLoader());
    }

    private static <T> void collect(ServiceLoader<T> loader, ModuleLayer layer, String origin,
                                    Function<T, String> name, List<Plugin<T>> into, List<String> problems) {
        List<ServiceLoader.Provider<T>> found;
        try {
            found = loader.stream().toList();
        } catch (ServiceConfigurationError e) {
            problems.add(origin + ": " + e.getMessage());
            return;
        }
        for (ServiceLoader.Provider<T> p : found) {
            Module module = p.type().getModule();
            // ServiceLoader.load(layer, ...) also returns the parent layers' providers.
            if (layer != null && module.getLayer() != layer) {
                continue;
            }
            try {
                T provider = p.get();
                String n = requireNonNull(name.apply(provider), "name() returned null");
                into.add(new Plugin<>(provider, n, moduleName(module), version(module, p.type()), origin));
            } catch (RuntimeException | ServiceConfigurationError e) {
                problems.add(origin + ": provider " + p.type().getName() + " failed: " + e.getMessage());
            }
        }
    }

    private static String moduleName(Module module) {
        return module.isNamed() ? module.getName() : "unnamed";
    }

    private static String version(Module module, Class<?> type) {
        if (module.isNamed()) {
            Optional<String> v = module.getDescriptor().rawVersion();
            if (v.isPresent()) {
                return v.get();
            }
        }
        String impl = type.getPackage() != null ? type.getPackage().getImplementationVersion() : null;
        return impl != null ? impl : "unknown";
    }

    private static <T> void duplicates(String kind, List<Plugin<T>> plugins, List<String> problems) {
        plugins.stream().collect(Collectors.groupingBy(p -> p.name().toLowerCase(Locale.ROOT)))
                .forEach((name, same) -> {
                    if (same.size() > 1) {
                        problems.add(duplicateMessage(kind, name, same));
                    }
                });
    }

    private static String duplicateMessage(String kind, String name, List<? extends Plugin<?>> same) {
        return "The " + kind + " '" + name + "' is provided by more than one module: " + same.stream()
                .map(p -> p.module() + " (" + p.origin() + ")").collect(Collectors.joining(", "));
    }

    public List<Plugin<CodecProvider>> codecs() {
        return codecs;
    }

    public List<Plugin<PageCacheProvider>> cachePolicies() {
        return cachePolicies;
    }

    public List<Plugin<TransportProvider>> transports() {
        return transports;
    }

    /** What went wrong while loading: one line each, sorted. Empty when all is well. */
    public List<String> problems() {
        return problems.stream().sorted().toList();
    }

    /** The class loaders of the plugin layers: their {@code reference.conf} files hold their defaults. */
    public List<ClassLoader> pluginLoaders() {
        return pluginLoaders;
    }

    /** The codec named {@code name}. @throws PluginException naming what is available */
    public CodecProvider codec(String name) {
        return select("codec", name, codecs);
    }

    /** The cache policy named {@code name}. @throws PluginException naming what is available */
    public PageCacheProvider cachePolicy(String name) {
        return select("cache policy", name, cachePolicies);
    }

    /** The transport for a URI scheme (case-insensitive). @throws PluginException naming what is available */
    public TransportProvider transport(String scheme) {
        return select("transport", scheme, transports);
    }

    private static <T> T select(String kind, String name, List<Plugin<T>> plugins) {
        requireNonNull(name, "name is null");
        List<Plugin<T>> same = plugins.stream().filter(p -> p.name().equalsIgnoreCase(name)).toList();
        if (same.size() == 1) {
            return same.get(0).provider();
        }
        if (same.size() > 1) {
            throw new PluginException(duplicateMessage(kind, name, same));
        }
        String available = plugins.stream().map(Plugin::name).distinct().sorted().collect(Collectors.joining(", "));
        throw new PluginException("No " + kind + " named '" + name + "'; available: "
                + (available.isEmpty() ? "none" : available));
    }
}
