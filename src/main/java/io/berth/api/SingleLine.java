package io.berth.api;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * A single-line value (a name, URL, user name, image name, tag or filter): no control characters,
 * no line separators, and no leading or trailing whitespace ({@link Text#singleLineProblem}). Such
 * values are stored exactly as sent, so surrounding whitespace is refused instead of trimmed.
 * {@code null} is valid (use {@code @NotNull} to require a value).
 */
@Documented
@Constraint(validatedBy = SingleLine.Validator.class)
@Target({ FIELD, METHOD, PARAMETER, RECORD_COMPONENT, TYPE_USE })
@Retention(RUNTIME)
public @interface SingleLine {

    String message() default "must be a single line without control characters or surrounding whitespace";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** True for secrets (passwords), which may begin or end with a space; control characters stay refused. */
    boolean allowSurroundingWhitespace() default false;

    /** Checks {@link Text#singleLineProblem} and reports its precise sentence. */
    class Validator implements ConstraintValidator<SingleLine, String> {
        private boolean allowSurroundingWhitespace;

        @Override
        public void initialize(SingleLine annotation) {
            allowSurroundingWhitespace = annotation.allowSurroundingWhitespace();
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            String problem = value == null ? null : Text.singleLineProblem(value, allowSurroundingWhitespace);
            if (problem == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(problem.replace("{", "\\{").replace("$", "\\$"))
                    .addConstraintViolation();
            return false;
        }
    }
}
