/** Not implemented yet: the provider lands with its issue. */
module io.xbzrle.transport.tcp {
    requires io.xbzrle.api;
}
