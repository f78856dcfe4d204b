package io.sparkfunc.testing;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.transform.Randomness;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * One entry of the op registry ({@link OpDb}): how to call an op, its plain reference, the sample
 * inputs to try, the dtypes, tolerances, and which primitives it exercises. Generated tests run
 * every entry through the same checks (forward vs reference, contiguous vs non-contiguous views,
 * SIMD vs scalar kernels, and later vmap/jvp/vjp), in the style of PyTorch's OpInfo and JAX's
 * {@code lax_reference} tests.
 */
public final class OpInfo {
  /** Produces sample inputs from a seeded random source. */
  @FunctionalInterface
  public interface SampleGen {
    /** Samples for the op; values drawn from {@code rnd}. */
    List<Sample> samples(Random rnd);
  }

  final String name;
  final Function<Tensor[], Tensor> fn;
  final Function<Ref[], Ref> reference;
  final SampleGen samples;
  final Set<DType> dtypes;
  final double tolF32;
  final double tolF64;
  final List<String> primitives;
  final boolean view;
  final boolean exactDType;
  final boolean differentiable;
  final boolean inPlace;
  final Randomness randomness;

  private OpInfo(Builder b) {
    this.name = b.name;
    this.fn = b.fn;
    this.reference = b.reference;
    this.samples = b.samples;
    this.dtypes = b.dtypes;
    this.tolF32 = b.tolF32;
    this.tolF64 = b.tolF64;
    this.primitives = List.copyOf(b.primitives);
    this.view = b.view;
    this.exactDType = b.exactDType;
    this.differentiable = b.differentiable;
    this.inPlace = b.inPlace;
    this.randomness = b.randomness;
  }

  /**
   * True if the op writes operand 0 in place: under vmap, operand 0 must then be mapped whenever
   * another operand is (torch.func refuses to write a batch into one tensor).
   */
  public boolean inPlace() {
    return inPlace;
  }

  /** What vmap checks run with: {@link Randomness#SAME} for random ops, so the loop draws the same numbers. */
  public Randomness randomness() {
    return randomness;
  }

  /** True if the op has derivatives to check (false for comparisons, arg ops, random bits). */
  public boolean differentiable() {
    return differentiable;
  }

  /** Starts an entry. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** The op's name as users call it. */
  public String name() {
    return name;
  }

  /** Runs the op on engine tensors. */
  public Tensor apply(Tensor... args) {
    return fn.apply(args);
  }

  /** Runs the reference. */
  public Ref reference(Ref... args) {
    return reference.apply(args);
  }

  /** Samples drawn with a seed derived from the op name (stable across runs). */
  public List<Sample> samples() {
    return samples.samples(new Random(name.hashCode()));
  }

  /** The dtypes to test. */
  public Set<DType> dtypes() {
    return dtypes;
  }

  /** Mixed absolute/relative tolerance for {@code dtype}. */
  public double tolerance(DType dtype) {
    return dtype == DType.F64 ? tolF64 : tolF32;
  }

  /** The primitives this entry covers (for the coverage gate). */
  public List<String> primitives() {
    return primitives;
  }

  /** True if the output may share memory with an input (view ops). */
  public boolean view() {
    return view;
  }

  /** True if the output dtype must equal the floating input dtype. */
  public boolean exactDType() {
    return exactDType;
  }

  @Override
  public String toString() {
    return name;
  }

  /** Fluent builder; defaults: f32 and f64, tolerances 1e-5 (f32) and 1e-12 (f64). */
  public static final class Builder {
    private final String name;
    private Function<Tensor[], Tensor> fn;
    private Function<Ref[], Ref> reference;
    private SampleGen samples;
    private Set<DType> dtypes = EnumSet.of(DType.F32, DType.F64);
    private double tolF32 = 1e-5;
    private double tolF64 = 1e-12;
    private final List<String> primitives = new ArrayList<>();
    private boolean view;
    private boolean exactDType = true;
    private boolean differentiable = true;
    private boolean inPlace;
    private Randomness randomness = Randomness.ERROR;

    private Builder(String name) {
      this.name = name;
    }

    /** The op under test. */
    public Builder op(Function<Tensor[], Tensor> f) {
      this.fn = f;
      return this;
    }

    /** The plain reference. */
    public Builder reference(Function<Ref[], Ref> r) {
      this.reference = r;
      return this;
    }

    /** The sample inputs. */
    public Builder samples(SampleGen g) {
      this.samples = g;
      return this;
    }

    /** Dtypes to run. */
    public Builder dtypes(DType first, DType... rest) {
      this.dtypes = EnumSet.of(first, rest);
      return this;
    }

    /** Tolerances (|got - want| <= tol * (1 + |want|)). */
    public Builder tol(double f32, double f64) {
      this.tolF32 = f32;
      this.tolF64 = f64;
      return this;
    }

    /** Primitive names this entry exercises. */
    public Builder covers(String... names) {
      primitives.addAll(List.of(names));
      return this;
    }

    /** The output may be a view of an input, so writing to it may change the input. */
    public Builder view() {
      this.view = true;
      return this;
    }

    /** The output dtype differs from the input dtype (comparisons, arg ops). */
    public Builder anyOutputDType() {
      this.exactDType = false;
      return this;
    }

    /** The op has no derivative to check (boolean or integer output, random bits). */
    public Builder nonDifferentiable() {
      this.differentiable = false;
      return this;
    }

    /** The op writes operand 0 in place (see {@link OpInfo#inPlace()}). */
    public Builder inPlace() {
      this.inPlace = true;
      return this;
    }

    /** The vmap randomness the entry needs (random ops: {@link Randomness#SAME}). */
    public Builder randomness(Randomness r) {
      this.randomness = r;
      return this;
    }

    /** Builds the entry. */
    public OpInfo build() {
      if (fn == null || reference == null || samples == null) {
        throw new IllegalStateException(name + ": op, reference and samples are required");
      }
      return new OpInfo(this);
    }
  }
}
