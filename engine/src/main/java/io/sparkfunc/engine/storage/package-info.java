/**
 * Where numbers live: heap arrays or off-heap buffers behind one {@link
 * io.sparkfunc.engine.storage.Storage} interface. Element indices, never bytes; little-endian
 * off-heap layout (Arrow's).
 */
package io.sparkfunc.engine.storage;
