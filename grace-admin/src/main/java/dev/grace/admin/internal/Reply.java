package dev.grace.admin.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import org.eclipse.jetty.http.HttpStatus;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** What to send back: a status, a content type, the body and any extra headers. */
record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {

    static final String PROBLEM_JSON = "application/problem+json; charset=utf-8";

    static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new SimpleModule().addSerializer(Instant.class, ToStringSerializer.instance))
            .build();

    Reply(int status, String contentType, byte[] body) {
        this(status, contentType, body, Map.of());
    }

    static Reply json(int status, Object value) {
        try {
            return new Reply(status, "application/json; charset=utf-8", JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for " + value.getClass().getName(), e);
        }
    }

    /**
     * An RFC 9457 problem: {@code type} is {@code about:blank}, so {@code title} is the status's
     * phrase; {@code detail} is the one line saying what was wrong and what would be right;
     * {@code parameter}, an extension member, names the parameter, header or field it is about;
     * {@code instance}, the request's path, is added when it is sent ({@link #withInstance}).
     */
    static Reply problem(HttpError e) {
        return problem(e.status(), e.getMessage(), e.parameter(), e.headers());
    }

    /**
     * This problem with RFC 9457's {@code instance} member set to the request's path, unless it has one;
     * any other reply unchanged. {@link AdminHandler} applies it to every reply it sends, so a route
     * only throws an {@link HttpError} (or returns {@link #problem}) and never builds the member itself.
     */
    Reply withInstance(String path) {
        if (!PROBLEM_JSON.equals(contentType) || path == null) {
            return this;
        }
        try {
            ObjectNode problem = (ObjectNode) JSON.readTree(body);
            if (problem.has("instance")) {
                return this;
            }
            problem.put("instance", path);
            return new Reply(status, contentType, JSON.writeValueAsBytes(problem), headers);
        } catch (IOException | ClassCastException e) {
            throw new IllegalStateException("a problem reply is not a JSON object", e);
        }
    }

    static Reply problem(int status, String detail, String parameter, Map<String, String> headers) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", HttpStatus.getMessage(status));
        body.put("status", status);
        body.put("detail", detail);
        if (parameter != null) {
            body.put("parameter", parameter);
        }
        try {
            return new Reply(status, PROBLEM_JSON, JSON.writeValueAsBytes(body), headers);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a problem", e);
        }
    }
}
