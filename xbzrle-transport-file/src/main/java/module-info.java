/** Not implemented yet: the provider lands with its issue. */
module io.xbzrle.transport.file {
    requires io.xbzrle.api;
}
