package dev.backstop.testbed;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a {@link Testbed} started once per test JVM (the whole suite of a module) and closed
 * when the suite ends, also after failures. Use {@code @ExtendWith(TestbedExtension.class)} and
 * take a {@code Testbed} parameter.
 *
 * <p>Data and logs go to {@code target/testbed-runs/<time>/} of the module under test.
 */
public final class TestbedExtension implements ParameterResolver {

  private static final String KEY = Testbed.class.getName();

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Testbed.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(KEY, key -> new Shared(startTestbed()), Shared.class)
        .testbed();
  }

  private static Testbed startTestbed() {
    String run = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    return Testbed.start(Path.of("target", "testbed-runs", run));
  }

  /** Closed by JUnit when the root context closes, i.e. at the end of the suite. */
  private record Shared(Testbed testbed) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      testbed.close();
    }
  }
}
