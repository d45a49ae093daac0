/**
 * The page cache SPI: an eviction policy ({@link io.xbzrle.api.cache.PageCacheProvider}) creates a
 * {@link io.xbzrle.api.cache.PageCache} that keeps the copy of each page the destination holds, so
 * the next version of the page can be sent as a delta against it.
 */
package io.xbzrle.api.cache;
