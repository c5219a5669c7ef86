package org.lbaas.conformance;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a default method of a contract group that {@link Rules} calls before each of the group's
 * rules, with the same {@link ConformanceRun}; a failed assumption in it skips the rule.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface Precondition {
}
