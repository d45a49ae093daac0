package io.xbzrle.migration.plugins;

import static java.util.Objects.requireNonNull;

/**
 * A provider found by the registry, with where it came from.
 *
 * @param provider the provider instance
 * @param name the name configuration selects it by (a transport's is its URI scheme)
 * @param module the JPMS module that provides it ({@code io.xbzrle.cache.lru}), or
 *     {@code unnamed} for a class-path jar
 * @param version the module's version, or {@code unknown}
 * @param origin {@code built-in}, or {@code plugins/<jar or folder>}
 * @param <T> the provider type
 */
public record Plugin<T>(T provider, String name, String module, String version, String origin) {
    public Plugin {
        requireNonNull(provider, "provider is null");
        requireNonNull(name, "name is null");
        requireNonNull(module, "module is null");
        requireNonNull(version, "version is null");
        requireNonNull(origin, "origin is null");
    }
}
