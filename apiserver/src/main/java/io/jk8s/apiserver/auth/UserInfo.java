package io.jk8s.apiserver.auth;

import java.util.List;

/** Who is asking: upstream's {@code user.Info} (name and groups). */
public record UserInfo(String name, List<String> groups) {

    public static final String MASTERS = "system:masters";
    public static final String AUTHENTICATED = "system:authenticated";
    public static final String UNAUTHENTICATED = "system:unauthenticated";

    public UserInfo {
        groups = List.copyOf(groups);
    }

    public boolean isMaster() {
        return groups.contains(MASTERS);
    }
}
