import { boardRef, compact, entityInfo, ref } from '../refs.ts';
import { addDays } from '../time.ts';
import type { Rec, SimState } from '../types.ts';
import { SEED_USER } from './members.ts';

/** `_info` for seeded records: entered some days before the simulator's today. */
export function seededInfo(state: SimState, daysAgo = 90): Record<string, string> {
  // Shared per (state, day): records are replaced on write, never mutated, so sharing is safe and
  // keeps `scale:100000` from allocating a million identical objects.
  const cache = infoCache.get(state) ?? new Map<number, Record<string, string>>();
  infoCache.set(state, cache);
  const info = cache.get(daysAgo) ?? entityInfo(`${addDays(state.today, -daysAgo)}T09:00:00Z`, SEED_USER);
  cache.set(daysAgo, info);
  return info;
}

const infoCache = new WeakMap<SimState, Map<number, Record<string, string>>>();

const LOCATION = { id: 1, name: 'Main' };
const DEPARTMENT = { id: 10, name: 'Services' };

export const BILLING_CYCLES = {
  Monthly: { id: 2, name: 'Monthly' },
  Quarterly: { id: 3, name: 'Quarterly' },
  Yearly: { id: 4, name: 'Yearly' },
} as const;
export type CycleName = keyof typeof BILLING_CYCLES;

export const AGREEMENT_TYPES = {
  managed: { id: 1, name: 'Managed Services' },
  security: { id: 2, name: 'Security Services' },
} as const;

export function seedCompanyStatuses(state: SimState): void {
  const t = state.tables.companyStatuses;
  const statuses: Array<[string, boolean, boolean]> = [
    ['Active', true, false],
    ['Inactive', false, true],
    ['Not-Approved', false, false],
  ];
  for (const [name, defaultFlag, inactiveFlag] of statuses) {
    const id = t.allocateId();
    t.put({
      id,
      name,
      defaultFlag,
      inactiveFlag,
      notifyFlag: false,
      disallowSavingFlag: false,
      _info: seededInfo(state, 400),
    });
  }
}

interface BoardPlan {
  name: string;
  statuses: Array<{ name: string; closed?: boolean; isDefault?: boolean; inactive?: boolean }>;
  types: string[];
  subTypes: string[];
  items: string[];
}

const BOARDS: BoardPlan[] = [
  {
    name: 'Security',
    statuses: [
      { name: 'New', isDefault: true },
      { name: 'In Progress' },
      { name: 'Waiting on Customer' },
      { name: 'Resolved', closed: true },
      { name: 'Closed', closed: true },
      { name: 'Cancelled', closed: true, inactive: true },
    ],
    types: ['Email Threat', 'Account Takeover', 'Quarantine'],
    subTypes: ['Incident', 'Challenged Message', 'Release Request'],
    items: ['Mailbox', 'Message'],
  },
  {
    name: 'Help Desk',
    statuses: [
      { name: 'New', isDefault: true },
      { name: 'Assigned' },
      { name: 'Scheduled' },
      { name: 'Completed', closed: true },
      { name: 'Closed', closed: true },
    ],
    types: ['Request', 'Problem'],
    subTypes: ['Email', 'Hardware', 'Software'],
    items: ['Outlook', 'Laptop'],
  },
];

export function seedBoards(state: SimState): void {
  const { boards, boardStatuses, boardTypes, boardSubTypes, boardItems } = state.tables;
  const info = seededInfo(state, 400);
  for (const plan of BOARDS) {
    const id = boards.allocateId();
    const location = ref('location', 'system/locations', LOCATION.id, { name: LOCATION.name });
    const department = ref('department', 'system/departments', DEPARTMENT.id, { name: DEPARTMENT.name });
    const board: Rec = {
      id,
      name: plan.name,
      location,
      department,
      inactiveFlag: false,
      projectFlag: false,
      _info: info,
    };
    boards.put(board);
    const bref = boardRef(board);
    plan.statuses.forEach((s, i) => {
      const status = compact({
        id: boardStatuses.allocateId(),
        name: s.name,
        board: bref,
        sortOrder: i,
        displayOnBoard: true,
        inactive: s.inactive ?? false,
        closedStatus: s.closed ?? false,
        defaultFlag: s.isDefault ?? false,
        timeEntryNotAllowed: s.closed ?? false,
        escalationStatus: s.closed ? 'Resolved' : 'NotResponded',
        customerPortalFlag: false,
        _info: info,
      }) as Rec;
      boardStatuses.put(status, id);
    });
    const typeIds: number[] = [];
    for (const name of plan.types) {
      const tid = boardTypes.allocateId();
      typeIds.push(tid);
      boardTypes.put(
        {
          id: tid,
          name,
          category: 'Reactive',
          defaultFlag: false,
          inactiveFlag: false,
          board: bref,
          _info: info,
        },
        id,
      );
    }
    for (const name of plan.subTypes) {
      const sid = boardSubTypes.allocateId();
      boardSubTypes.put(
        { id: sid, name, inactiveFlag: false, typeAssociationIds: typeIds, board: bref, _info: info },
        id,
      );
    }
    for (const name of plan.items) {
      const iid = boardItems.allocateId();
      boardItems.put({ id: iid, name, inactiveFlag: false, board: bref, _info: info }, id);
    }
  }
  state.defaultBoardId = boards.all().find((b) => b['name'] === 'Help Desk')?.id;
}

export function seedPriorities(state: SimState): void {
  const plans: Array<[string, string, string, boolean]> = [
    ['Priority 1 - Emergency Response', 'Red', 'Critical', false],
    ['Priority 2 - Quick Response', 'Orange', 'High', false],
    ['Priority 3 - Normal Response', 'Yellow', 'Medium', true],
    ['Priority 4 - Schedule Maintenance', 'Green', 'Low', false],
    ['Do Not Respond', 'Gray', 'Low', false],
  ];
  plans.forEach(([name, color, level, defaultFlag], i) => {
    const t = state.tables.priorities;
    t.put({
      id: t.allocateId(),
      name,
      color,
      sortOrder: i + 1,
      defaultFlag,
      level,
      _info: seededInfo(state, 400),
    });
  });
}

export function seedWorkTypes(state: SimState): void {
  const plans: Array<[string, string, boolean]> = [
    ['Remote Support', 'Billable', false],
    ['Onsite Support', 'Billable', false],
    ['Security Response', 'Billable', false],
    ['Admin', 'NoCharge', false],
    ['Legacy Travel', 'DoNotBill', true],
  ];
  for (const [name, billTime, inactiveFlag] of plans) {
    const t = state.tables.workTypes;
    t.put({
      id: t.allocateId(),
      name,
      billTime,
      rateType: 'Multiplier',
      rate: 1,
      inactiveFlag,
      overallDefaultFlag: name === 'Remote Support',
      utilizationFlag: billTime === 'Billable',
      _info: seededInfo(state, 400),
    });
  }
}
