/** Not implemented yet: the provider lands with its issue. */
module io.xbzrle.cache.aging {
    requires io.xbzrle.api;
}
