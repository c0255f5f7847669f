package dev.grace.runtime.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** One value a layer sets: the key's path, the value, and the layer it came from (a file, a variable, a flag). */
record Setting(List<String> path, JsonNode value, String source) {
}
