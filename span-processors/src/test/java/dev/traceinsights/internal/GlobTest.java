package dev.traceinsights.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {

  @ParameterizedTest(name = "''{0}'' vs ''{1}'' → {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // exact
        "GET /health      | GET /health       | true",
        "GET /health      | GET /health/      | false",
        "GET /health      | get /health       | false",
        // prefix, suffix, contains, any
        "cache.*          | cache.get         | true",
        "cache.*          | cache.            | true",
        "cache.*          | xcache.get        | false",
        "*/health         | /api/v1/health    | true",
        "*/health         | /api/v1/health/x  | false",
        "*/checkout*      | /eu/checkout/pay  | true",
        "*/checkout*      | /checkout         | true",
        "*/checkout*      | /check/out        | false",
        "*                | anything          | true",
        "**               | ''                | true",
        // general: '?' and inner '*'
        "GET /users/?     | GET /users/7      | true",
        "GET /users/?     | GET /users/42     | false",
        "GET /*/orders    | GET /u/7/orders   | true",
        "GET /*/orders    | GET /orders       | false",
        "a*b*c            | aXbYbZc           | true",
        "a*b*c            | aXbYbZ            | false",
        "*a?c*            | zzabcabxc         | true",
        "?*               | ''                | false",
        "a**?             | ab                | true",
      })
  void matches(String pattern, String value, boolean expected) {
    assertThat(Glob.compile(pattern).matches(value)).isEqualTo(expected);
  }
}
