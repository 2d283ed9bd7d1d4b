package io.berth.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Strict JSON input: a wrong type is a 400 naming the field, never a silent conversion
 * ({@code "name": 5} is not the string "5", {@code "port": "80"} is not the number 80). Text is
 * never trimmed or coerced either (README "Text rules"):
 *
 * <ul>
 * <li>enums accept exactly their documented names ({@code " dockerhub"}, {@code "development\u0000"}
 * and index strings such as {@code "0"} are refused; Jackson would trim or look up by index);</li>
 * <li>UUIDs accept exactly the 36-character hyphenated form (Jackson would trim, and accept base64);</li>
 * <li>an empty or blank string is never a null, false or 0 ({@code "insecure": " "},
 * {@code "registryConnectionId": ""} are refused): only JSON {@code null} clears a value and only
 * JSON booleans are booleans.</li>
 * </ul>
 */
@Singleton
public class JacksonConfig implements ObjectMapperCustomizer {

    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        mapper.configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
        mapper.configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
        mapper.configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false);
        mapper.configure(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS, true);
        mapper.configure(JsonParser.Feature.STRICT_DUPLICATE_DETECTION, true);
        mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        mapper.coercionConfigDefaults()
                .setAcceptBlankAsEmpty(false)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        for (LogicalType type : LogicalType.values()) {
            mapper.coercionConfigFor(type)
                    .setAcceptBlankAsEmpty(false)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                // "" is a string like any other; whether it is allowed is the field's validation.
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.TryConvert);
        mapper.coercionConfigFor(LogicalType.Enum)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        SimpleModule strict = new SimpleModule("berth-strict-text");
        strict.addDeserializer(UUID.class, new StrictUuidDeserializer());
        strict.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type,
                    BeanDescription beanDesc, JsonDeserializer<?> deserializer) {
                return new ExactEnumDeserializer(deserializer, type.getRawClass());
            }
        });
        mapper.registerModule(strict);
    }

    /** The wire names of an enum's constants: {@code @JsonProperty} where given, else the Java name. */
    static List<String> wireNames(Class<?> enumType) {
        List<String> names = new ArrayList<>();
        for (Object constant : enumType.getEnumConstants()) {
            String name = ((Enum<?>) constant).name();
            try {
                JsonProperty property = enumType.getField(name).getAnnotation(JsonProperty.class);
                names.add(property != null && !property.value().isEmpty() ? property.value() : name);
            } catch (NoSuchFieldException e) {
                names.add(name);
            }
        }
        return List.copyOf(names);
    }

    /** Accepts only a string equal to one of the wire names, then lets Jackson's deserializer map it. */
    static final class ExactEnumDeserializer extends DelegatingDeserializer {
        private final Class<?> enumType;
        private final List<String> names;

        ExactEnumDeserializer(JsonDeserializer<?> delegate, Class<?> enumType) {
            super(delegate);
            this.enumType = enumType;
            this.names = wireNames(enumType);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> newDelegatee) {
            return new ExactEnumDeserializer(newDelegatee, enumType);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.hasToken(JsonToken.VALUE_STRING) && !names.contains(p.getText())) {
                return ctxt.handleWeirdStringValue(enumType, p.getText(), "not one of the values %s", names);
            }
            return super.deserialize(p, ctxt);
        }
    }

    /** A UUID only in its canonical 8-4-4-4-12 hexadecimal form; anything else is a wrong type. */
    static final class StrictUuidDeserializer extends StdScalarDeserializer<UUID> {
        StrictUuidDeserializer() {
            super(UUID.class);
        }

        @Override
        public UUID deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.hasToken(JsonToken.VALUE_STRING)) {
                String text = p.getText();
                if (UUID_TEXT.matcher(text).matches()) {
                    return UUID.fromString(text);
                }
                return (UUID) ctxt.handleWeirdStringValue(UUID.class, text, "not a UUID in 8-4-4-4-12 form");
            }
            return (UUID) ctxt.handleUnexpectedToken(UUID.class, p);
        }

        @Override
        public LogicalType logicalType() {
            return LogicalType.OtherScalar;
        }
    }
}
