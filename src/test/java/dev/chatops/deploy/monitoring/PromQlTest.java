package dev.chatops.deploy.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PromQlTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        "up{job=\"chatops\"} == 0 ; up",
        "absent(up{job=\"chatops\"}) ; up",
        "histogram_quantile(0.95, sum by (le, stack) (rate(chatops_stack_lock_wait_seconds_bucket"
            + "{job=~\"$job\", instance=~\"$instance\"}[$__rate_interval]))) "
            + "; chatops_stack_lock_wait_seconds_bucket",
        "sum(rate(x_total[5m])) by (le) / on (job) group_left (version) y_info ; x_total y_info",
        "a unless b offset 15m or c > bool 1e3 and d * 0.5 ; a b c d",
        "max(z{reason=~\"auth|signature\", outcome!='failed'}) > Inf ; z",
        "sum without (instance) (rate(x[1h:5m])) ; x",
        "label_replace(x, \"dst\", \"$1\", \"src\", \"(.*)\") ; x",
        "${datasource_series} + rate(x[${__range}]) ; x",
      })
  void namesTheSeriesAnExpressionSelects(String expr, String names) {
    assertThat(PromQl.series(expr)).containsExactlyInAnyOrder(names.strip().split(" "));
  }

  @Test
  void aVariableQueryNamesItsSeries() {
    assertThat(PromQl.variableSeries("label_values(chatops_build_info{job=~\"$job\"}, instance)"))
        .containsExactly("chatops_build_info");
    assertThatThrownBy(() -> PromQl.variableSeries("query_result(up)"))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void aSeriesOutsideMeterNamesIsUnknown() {
    assertThat(
            KnownSeries.unknown(
                Set.of(
                    "chatops_executions_total",
                    "chatops_execution_duration_seconds_bucket",
                    "chatops_execution_duration_seconds",
                    "chatops_approvals_pending_total",
                    "jvm_memory_used_bytes",
                    "node_load1",
                    "up")))
        .containsExactly(
            "chatops_approvals_pending_total", "chatops_execution_duration_seconds", "node_load1");
  }
}
