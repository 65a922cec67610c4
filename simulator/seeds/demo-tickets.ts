import { addNote } from '../resources/notes.ts';
import { buildTicket } from '../resources/ticket-build.ts';
import type { ApiMember, SimState } from '../types.ts';

interface TicketPlan {
  summary: string;
  company: string;
  board: string;
  status: string;
  type?: string;
  priority?: string;
  notes: Array<{ text: string; flag: 'detailDescriptionFlag' | 'internalAnalysisFlag' | 'resolutionFlag' }>;
}

const TICKETS: TicketPlan[] = [
  {
    summary: 'Phishing email reported by a user in Accounts Payable',
    company: 'AcmeLogistics',
    board: 'Security',
    status: 'New',
    type: 'Email Threat',
    priority: 'Priority 2 - Quick Response',
    notes: [
      {
        text: 'User forwarded a fake invoice email; message quarantined for review.',
        flag: 'detailDescriptionFlag',
      },
    ],
  },
  {
    summary: 'Suspicious sign-in to mailbox from an unfamiliar country',
    company: 'RiverbendMedical',
    board: 'Security',
    status: 'In Progress',
    type: 'Account Takeover',
    priority: 'Priority 1 - Emergency Response',
    notes: [
      { text: 'Impossible-travel alert for the front desk mailbox.', flag: 'detailDescriptionFlag' },
      { text: 'Password reset forced; MFA re-registration requested.', flag: 'internalAnalysisFlag' },
    ],
  },
  {
    summary: 'Quarantine release request: vendor statement',
    company: 'BlueHarborDental',
    board: 'Security',
    status: 'Resolved',
    type: 'Quarantine',
    notes: [
      { text: 'User asked to release a statement from a known vendor.', flag: 'detailDescriptionFlag' },
      { text: 'Released after checking the sender and links.', flag: 'resolutionFlag' },
    ],
  },
  {
    summary: 'Outlook keeps asking for the password',
    company: 'CedarRidgeLaw',
    board: 'Help Desk',
    status: 'Assigned',
    type: 'Problem',
    notes: [{ text: 'Happens since the last Windows update.', flag: 'detailDescriptionFlag' }],
  },
  {
    summary: 'New laptop for the office manager',
    company: 'DunmorePaper',
    board: 'Help Desk',
    status: 'Completed',
    type: 'Request',
    notes: [
      { text: 'Set up a laptop with the standard image.', flag: 'detailDescriptionFlag' },
      { text: 'Delivered and signed off.', flag: 'resolutionFlag' },
    ],
  },
  {
    summary: 'Shared mailbox missing from Outlook',
    company: 'EvergreenClinics',
    board: 'Help Desk',
    status: 'New',
    notes: [
      { text: 'The billing shared mailbox no longer shows up for two users.', flag: 'detailDescriptionFlag' },
    ],
  },
];

export function seedDemoTickets(state: SimState, by: ApiMember): void {
  for (const plan of TICKETS) {
    const body: Record<string, unknown> = {
      summary: plan.summary,
      company: { identifier: plan.company },
      board: { name: plan.board },
      status: { name: plan.status },
    };
    if (plan.type) body['type'] = { name: plan.type };
    if (plan.priority) body['priority'] = { name: plan.priority };
    const ticket = state.tables.tickets.put(buildTicket(state, body, by));
    for (const note of plan.notes) addNote(state, ticket.id, { text: note.text, [note.flag]: true }, by);
  }
}
