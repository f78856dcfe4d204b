package io.sparkfunc.udfs.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.udfs.BadInput;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ModelsTest {

  @Test
  void specsParseToTheirSizes() {
    Model lin = Models.parse("linreg(5)");
    assertEquals(6, lin.numParams());
    assertEquals(Model.LabelKind.REAL, lin.labelKind());
    assertEquals(Model.LabelKind.BINARY, Models.parse("logreg(5)").labelKind());
    Model soft = Models.parse(" softmax( 64 , 10 ) ");
    assertEquals(650, soft.numParams());
    assertEquals(10, soft.numOutputs());
    Model mlp = Models.parse("mlp(64,32,16,10;act=relu)");
    assertEquals(32 * 65 + 16 * 33 + 10 * 17, mlp.numParams());
    assertEquals(Model.LabelKind.CLASS, mlp.labelKind());
  }

  @Test
  void canonicalSpecsRoundTrip() {
    assertEquals("mlp(4,3,2;act=gelu)", Models.parse("MLP(4, 3, 2, gelu)").spec());
    assertEquals("mlp(4,3,2;act=tanh)", Models.parse("mlp(4,3,2)").spec());
    assertEquals("softmax(4,3)", Models.parse("softmax(4,3)").spec());
    assertEquals(Models.parse("mlp(4,3,2;act=gelu)").numParams(), Models.parse("MLP(4, 3, 2, gelu)").numParams());
  }

  @Test
  void javaModelsLoadByClassName() {
    Model m = Models.parse(ScaledLinear.class.getName() + "(3)");
    assertEquals(4, m.numParams());
    assertEquals(3, m.numFeatures());
  }

  @Test
  void initIsSeededAndBounded() {
    Model mlp = Models.parse("mlp(16,8,3;act=tanh)");
    double[] a = mlp.init(7).toDoubleArray();
    assertArrayEquals(a, mlp.init(7).toDoubleArray());
    assertEquals(mlp.numParams(), a.length);
    for (int i = 0; i < 8 * 17; i++) {
      assertTrue(Math.abs(a[i]) <= 0.25, "layer 1 bound 1/sqrt(16)");
    }
    assertTrue(Math.abs(a[a.length - 1]) <= 1 / Math.sqrt(8));
  }

  @Test
  void badSpecsNameTheSpecAndTheFix() {
    BadInput e = assertThrows(BadInput.class, () -> Models.parse("resnet(3)"));
    assertTrue(e.getMessage().contains("unknown model 'resnet'"), e.getMessage());
    assertEquals("model", e.argument());
    assertTrue(assertThrows(BadInput.class, () -> Models.parse("softmax(64)")).getMessage().contains("softmax(d,k)"));
    assertTrue(assertThrows(BadInput.class, () -> Models.parse("mlp(4,2)")).getMessage().contains("hidden layer"));
    assertTrue(assertThrows(BadInput.class, () -> Models.parse("mlp(4,3,2;act=swish)")).getMessage().contains("swish"));
    assertTrue(assertThrows(BadInput.class, () -> Models.parse("linreg(-1)")).getMessage().contains("'-1'"));
    assertTrue(assertThrows(BadInput.class, () -> Models.parse("com.nope.Missing(1)")).getMessage().contains("not found"));
  }
}
