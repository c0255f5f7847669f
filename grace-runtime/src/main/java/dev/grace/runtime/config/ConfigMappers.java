package dev.grace.runtime.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The strict Jackson mappers the config is read and converted with: durations and paths as Grace
 * writes them, no unknown properties, no coercion of scalars, no duplicate keys.
 */
final class ConfigMappers {

    static final ObjectMapper JSON = strict(JsonMapper.builder()).build();
    static final ObjectMapper YAML = strict(YAMLMapper.builder()).build();

    private ConfigMappers() {
    }

    private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B strict(B builder) {
        SimpleModule module = new SimpleModule("grace-config")
                .addSerializer(Path.class, ToStringSerializer.instance)
                .addSerializer(Duration.class, new StdScalarSerializer<>(Duration.class) {
                    @Override
                    public void serialize(Duration value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                        gen.writeString(Durations.format(value));
                    }
                })
                .addDeserializer(Path.class, new StdScalarDeserializer<>(Path.class) {
                    @Override
                    public Path deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                        if (p.currentToken() != JsonToken.VALUE_STRING) {
                            return (Path) ctxt.handleUnexpectedToken(Path.class, p);
                        }
                        return Path.of(p.getText());
                    }
                })
                .addDeserializer(Duration.class, new StdScalarDeserializer<>(Duration.class) {
                    @Override
                    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                        if (p.currentToken() != JsonToken.VALUE_STRING) {
                            return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
                        }
                        return Durations.parse(p.getText());
                    }
                });
        return builder
                .addModule(module)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }
}
