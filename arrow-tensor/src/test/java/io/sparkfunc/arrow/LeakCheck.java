package io.sparkfunc.arrow;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test a child allocator of one JVM-wide root and closes it after the test: a buffer
 * or child allocator the test left open makes {@code close()} throw ("Memory was leaked"), which
 * fails the test. Tests take a {@link BufferAllocator} parameter.
 */
final class LeakCheck implements ParameterResolver, AfterEachCallback {
  private static final BufferAllocator ROOT = new RootAllocator();
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LeakCheck.class);

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
    return p.getParameter().getType() == BufferAllocator.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext c) {
    return c.getStore(NS).getOrComputeIfAbsent("alloc",
        k -> ROOT.newChildAllocator(c.getDisplayName(), 0, Long.MAX_VALUE), BufferAllocator.class);
  }

  @Override
  public void afterEach(ExtensionContext c) {
    BufferAllocator a = c.getStore(NS).remove("alloc", BufferAllocator.class);
    if (a != null) {
      a.close();
    }
  }
}
