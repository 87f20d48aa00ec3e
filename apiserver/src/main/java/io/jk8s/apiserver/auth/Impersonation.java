package io.jk8s.apiserver.auth;

import io.jk8s.api.ApiException;
import io.jk8s.apiserver.http.ApiRequest;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code Impersonate-User} / {@code Impersonate-Group} / {@code Impersonate-Uid} headers (what
 * {@code kubectl --as/--as-group} sends): each requested identity is authorized with the
 * {@code impersonate} verb on users, groups, serviceaccounts or uids, then the request runs as the
 * impersonated user, with {@code system:authenticated} added as upstream does.
 */
public final class Impersonation {

    static final String USER = "Impersonate-User";
    static final String GROUP = "Impersonate-Group";
    static final String UID = "Impersonate-Uid";
    static final String SA_PREFIX = "system:serviceaccount:";

    private final Authorizer authorizer;

    public Impersonation(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    private static boolean hasImpersonationHeader(HttpHeaders headers) {
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            if (AsciiString.regionMatches(name, true, 0, "Impersonate-", 0, 12)) {
                return true;
            }
        }
        return false;
    }

    /** The user the request acts as: {@code requester} itself when no impersonation header is present. */
    public UserInfo actingUser(ApiRequest req, UserInfo requester) {
        if (!hasImpersonationHeader(req.headers())) {
            // Nearly every request: one pass over the header names, no lists or sets built.
            return requester;
        }
        String user = req.header(USER);
        List<String> groups = req.headers().getAll(GROUP);
        String uid = req.header(UID);
        boolean extras = req.headers().names().stream().anyMatch(h -> h.regionMatches(true, 0, "Impersonate-Extra-", 0, 18));
        if (user == null || user.isEmpty()) {
            if (!groups.isEmpty() || uid != null || extras) {
                throw ApiException.badRequest("requested impersonation of groups, uid or extra fields without impersonating a user");
            }
            return requester;
        }
        List<String> actingGroups = new ArrayList<>();
        if (user.startsWith(SA_PREFIX) && user.substring(SA_PREFIX.length()).contains(":")) {
            String[] nsName = user.substring(SA_PREFIX.length()).split(":", 2);
            require(requester, new RequestAttributes("impersonate", "", "serviceaccounts", null, nsName[0], nsName[1], null));
            actingGroups.add("system:serviceaccounts");
            actingGroups.add("system:serviceaccounts:" + nsName[0]);
        } else {
            require(requester, new RequestAttributes("impersonate", "", "users", null, null, user, null));
        }
        for (String g : groups) {
            require(requester, new RequestAttributes("impersonate", "", "groups", null, null, g, null));
            if (!actingGroups.contains(g)) actingGroups.add(g);
        }
        if (uid != null) {
            require(requester, new RequestAttributes("impersonate", "authentication.k8s.io", "uids", null, null, uid, null));
        }
        for (String h : req.headers().names()) {
            if (!h.regionMatches(true, 0, "Impersonate-Extra-", 0, 18)) continue;
            String key = h.substring(18).toLowerCase(java.util.Locale.ROOT);
            for (String value : req.headers().getAll(h)) {
                require(requester, new RequestAttributes("impersonate", "authentication.k8s.io", "userextras", key, null, value, null));
            }
        }
        // Extras are authorized but not carried: UserInfo has no extra fields yet.
        String implicit = user.equals("system:anonymous") ? UserInfo.UNAUTHENTICATED : UserInfo.AUTHENTICATED;
        if (!actingGroups.contains(implicit)) actingGroups.add(implicit);
        return new UserInfo(user, actingGroups);
    }

    private void require(UserInfo requester, RequestAttributes a) {
        authorizer.deny(requester, a).ifPresent(why -> {
            throw Forbidden.of(requester, a, why);
        });
    }
}
