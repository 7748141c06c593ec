import { VOIDED_VERB } from './validate.ts';
import type { Actor, Statement } from './validate.ts';

/** What the store records about a statement so that GET /xapi/statements can filter on it. */
export interface IndexTerms {
  /** The actor's identifier key (see ifiKey); null for an anonymous Group. */
  actorIfi: string | null;
  /** The verb IRI. */
  verbId: string;
  /** The object's id when the object is an Activity. */
  activityId: string | null;
  /** The context registration, lowercased. */
  registration: string | null;
  /** The targeted statement id, lowercased, when the object is a StatementRef. */
  refId: string | null;
  /** Whether this statement voids its StatementRef target. */
  voiding: boolean;
  /** Identifier keys of every Agent or identified Group involved; true when the `agent` filter matches it. */
  agents: Map<string, boolean>;
  /** Ids of every Activity involved; true when the `activity` filter matches it. */
  activities: Map<string, boolean>;
}

/**
 * The key under which an Agent or identified Group is matched: its one inverse functional
 * identifier, e.g. `mbox|mailto:ana@example.org` or `account|["https://site.example","42"]`.
 *
 * The domain of an email address and sha1 hex digits are case-insensitive, so they are lowercased.
 * @param actor a validated Agent or Group
 * @returns the key, or null for an anonymous Group (it has no identifier)
 * Source: xAPI 1.0.3, Communication 2.1.3 (agent filter: "equal when the same Inverse Functional
 * Identifier is used ... and those Inverse Functional Identifiers have equal values"), Data 2.3.1.
 */
export function ifiKey(actor: Actor): string | null {
  if (actor.mbox !== undefined) {
    const at = actor.mbox.lastIndexOf('@');
    return `mbox|${actor.mbox.slice(0, at)}${actor.mbox.slice(at).toLowerCase()}`;
  }
  if (actor.mbox_sha1sum !== undefined) {
    return `mbox_sha1sum|${actor.mbox_sha1sum.toLowerCase()}`;
  }
  if (actor.openid !== undefined) {
    return `openid|${actor.openid}`;
  }
  if (actor.account !== undefined) {
    return `account|${JSON.stringify([actor.account.homePage, actor.account.name])}`;
  }
  return null;
}

/**
 * Collect the filterable facts of a statement.
 *
 * "Direct" agents are the actor and an Agent or Group object, with their Group members; "related"
 * ones add the authority, instructor, team and the same properties of a SubStatement. "Direct"
 * activities are the Activity object; "related" ones add context activities and those of a
 * SubStatement.
 * @param statement a validated, completed statement (authority set)
 * @returns the terms to store beside it
 * Source: xAPI 1.0.3, Communication 2.1.3 (agent, activity, related_agents, related_activities).
 */
export function indexTerms(statement: Statement): IndexTerms {
  const agents = new Map<string, boolean>();
  const activities = new Map<string, boolean>();
  const addAgent = (actor: Actor | undefined, direct: boolean): void => {
    for (const each of actor === undefined ? [] : [actor, ...(actor.objectType === 'Group' ? (actor.member ?? []) : [])]) {
      const key = ifiKey(each);
      if (key !== null) {
        agents.set(key, direct || (agents.get(key) ?? false));
      }
    }
  };
  const addActivity = (id: string, direct: boolean): void => {
    activities.set(id, direct || (activities.get(id) ?? false));
  };
  const addContext = (context: Statement['context']): void => {
    addAgent(context?.instructor, false);
    addAgent(context?.team, false);
    for (const list of Object.values(context?.contextActivities ?? {})) {
      for (const activity of list ?? []) {
        addActivity(activity.id, false);
      }
    }
  };

  const { object } = statement;
  addAgent(statement.actor, true);
  addAgent(statement.authority, false);
  addContext(statement.context);
  switch (object.objectType) {
    case undefined:
    case 'Activity':
      addActivity(object.id, true);
      break;
    case 'Agent':
    case 'Group':
      addAgent(object, true);
      break;
    case 'SubStatement': {
      addAgent(object.actor, false);
      addContext(object.context);
      const inner = object.object;
      if (inner.objectType === undefined || inner.objectType === 'Activity') {
        addActivity(inner.id, false);
      } else if (inner.objectType === 'Agent' || inner.objectType === 'Group') {
        addAgent(inner, false);
      }
      break;
    }
    case 'StatementRef':
      break;
  }

  const isActivity = object.objectType === undefined || object.objectType === 'Activity';
  const refId = object.objectType === 'StatementRef' ? object.id.toLowerCase() : null;
  return {
    actorIfi: ifiKey(statement.actor),
    verbId: statement.verb.id,
    activityId: isActivity ? object.id : null,
    registration: statement.context?.registration?.toLowerCase() ?? null,
    refId,
    voiding: refId !== null && statement.verb.id === VOIDED_VERB,
    agents,
    activities,
  };
}
