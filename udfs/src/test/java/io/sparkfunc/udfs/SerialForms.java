package io.sparkfunc.udfs;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;

/**
 * Java serialization as a Spark executor does it for an aggregation buffer: the reading side
 * resolves classes with a loader that cannot see our jar (NOTE [JDK-only serial form] in {@link
 * BlockState}), so reading fails if the serial form names any {@code io.sparkfunc} class.
 */
final class SerialForms {
  private SerialForms() {}

  /** Writes {@code state} and reads it back with no {@code io.sparkfunc} class resolvable. */
  static Object roundTrip(Serializable state) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(state);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())) {
      @Override
      protected Class<?> resolveClass(ObjectStreamClass desc)
          throws IOException, ClassNotFoundException {
        assertFalse(desc.getName().startsWith("io.sparkfunc"),
            "the serial form names " + desc.getName() + ", which Spark's loader cannot see");
        return super.resolveClass(desc);
      }
    }) {
      return in.readObject();
    }
  }
}
