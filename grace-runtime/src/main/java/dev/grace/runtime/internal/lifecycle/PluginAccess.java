package dev.grace.runtime.internal.lifecycle;

import dev.grace.api.RuntimeActions;
import dev.grace.api.RuntimeView;

/** Makes each plugin's view of the runtime and the actions it may take, both knowing who is asking. */
public interface PluginAccess {

    RuntimeView view(String pluginId);

    RuntimeActions actions(String pluginId);
}
