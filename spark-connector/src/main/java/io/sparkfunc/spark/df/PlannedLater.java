package io.sparkfunc.spark.df;

import java.util.List;
import org.apache.spark.Dependency;
import org.apache.spark.OneToOneDependency;
import org.apache.spark.Partition;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.classic.Dataset;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;

/**
 * A DataFrame's {@code InternalRow}s as an RDD that plans them ({@code
 * queryExecution().toRdd()}) only when a job first asks for its partitions. Calling {@code
 * toRdd()} at once would make the DataFrame call eager: under adaptive execution it runs the
 * input's shuffle stages (a {@code repartition}, say) there and then. One-to-one with the planned
 * RDD, like {@code mapPartitions}.
 */
final class PlannedLater extends RDD<InternalRow> {
  private static final long serialVersionUID = 1L;

  private final transient Dataset<Row> df;
  private RDD<InternalRow> rows;

  PlannedLater(Dataset<Row> df) {
    super(df.sparkSession().sparkContext(), CollectionConverters.asScala(List.<Dependency<?>>of()).toList(),
        ClassTag$.MODULE$.apply(InternalRow.class));
    this.df = df;
  }

  /** The planned rows (planned on the driver at the first call; shipped with the tasks). */
  private synchronized RDD<InternalRow> rows() {
    if (rows == null) {
      rows = df.queryExecution().toRdd();
    }
    return rows;
  }

  @Override
  public Partition[] getPartitions() {
    return rows().partitions();
  }

  @Override
  public Seq<Dependency<?>> getDependencies() {
    return CollectionConverters.asScala(List.<Dependency<?>>of(new OneToOneDependency<>(rows()))).toList();
  }

  @Override
  public scala.collection.Iterator<InternalRow> compute(Partition split, TaskContext context) {
    return rows.iterator(split, context);
  }
}
