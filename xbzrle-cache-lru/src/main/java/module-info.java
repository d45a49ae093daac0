/** Not implemented yet: the provider lands with its issue. */
module io.xbzrle.cache.lru {
    requires io.xbzrle.api;
}
