/**
 * Building blocks for cache policies, this project's and third parties': pages in large slabs
 * without an object per page, counters the owner thread writes and any thread reads, the capacity
 * that any thread may ask for and the owner applies, and byte sizes written the way configuration
 * takes them.
 */
package io.xbzrle.api.cache.support;
