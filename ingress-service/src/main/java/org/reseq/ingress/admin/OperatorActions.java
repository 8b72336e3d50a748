package org.reseq.ingress.admin;

import java.security.Principal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.reseq.ingress.web.ApiException;
import org.reseq.model.destination.Violation;
import org.reseq.model.failure.ErrorTexts;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The audit trail of operator actions ({@code operator_action}): what was asked, on which
 * sequence, by whom when the request said so, and when.
 */
@Component
class OperatorActions {

    /**
     * The request header naming the operator while security is off: with nothing authenticated it
     * is taken as given. With security on, the authenticated caller's name is recorded instead.
     */
    static final String ACTOR_HEADER = "X-Reseq-Actor";
    static final int MAX_ACTOR_LENGTH = 200;

    /**
     * One recorded action.
     *
     * @param sequence the sequence it applies to, null for destination-wide actions (pause, resume)
     * @param actor the authenticated caller's name (API key name or token subject); with security
     *        off, the {@value #ACTOR_HEADER} header of the request, null when absent
     * @param detail what the action saw or meant, null when there is nothing to add
     */
    record Action(long id, String action, Long sequence, String actor, String detail, Instant at) {
    }

    private final JdbcClient jdbc;

    OperatorActions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records an action. Joins the caller's transaction when there is one, so that the record and
     * what it records commit together. The detail is stored {@linkplain ErrorTexts#clean cleaned}:
     * it may quote a failure, and recording must not fail because of what it quotes.
     */
    Action record(String destination, String action, Long sequence, String actor, String detail) {
        return jdbc.sql("""
                        insert into operator_action (destination, action, sequence, actor, detail)
                        values (:destination, :action, :sequence, :actor, :detail)
                        returning id, action, sequence, actor, detail, at""")
                .param("destination", destination).param("action", action).param("sequence", sequence)
                .param("actor", actor).param("detail", detail == null ? null : ErrorTexts.clean(detail))
                .query(OperatorActions::action).single();
    }

    /** The destination's actions, newest first. */
    List<Action> list(String destination, int limit) {
        return jdbc.sql("""
                        select id, action, sequence, actor, detail, at from operator_action
                         where destination = :destination order by id desc limit :limit""")
                .param("destination", destination).param("limit", limit)
                .query(OperatorActions::action).list();
    }

    /**
     * Who asked: the authenticated caller when there is one (the header is then ignored, it could
     * name anyone); else the trimmed header, null when absent or blank; 400 when too long.
     */
    static String actor(Principal caller, String header) {
        if (caller != null) {
            return caller.getName();
        }
        if (header == null || header.isBlank()) {
            return null;
        }
        String actor = header.strip();
        if (actor.length() > MAX_ACTOR_LENGTH) {
            throw ApiException.invalid(List.of(new Violation(ACTOR_HEADER,
                    "must be at most " + MAX_ACTOR_LENGTH + " characters")));
        }
        return actor;
    }

    private static Action action(ResultSet rows, int number) throws SQLException {
        return new Action(rows.getLong("id"), rows.getString("action"), rows.getObject("sequence", Long.class),
                rows.getString("actor"), rows.getString("detail"), rows.getTimestamp("at").toInstant());
    }
}
