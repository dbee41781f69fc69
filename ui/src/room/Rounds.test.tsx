// The round views against the rounds the room really sent (recorded/round.json): before the
// reveal only who answered; after it every answer, the median and spread, outliers marked;
// names as text; the WSJF scale as buttons.
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import recorded from "./recorded/round.json";
import { AnswerRound } from "./Rounds";
import { RunRound } from "./Facilitator";
import type { RoomServerMessage } from "../ipc/bindings/RoomServerMessage";
import type { RoomRound } from "../ipc/bindings/RoomRound";
import type { Workspace } from "../ipc/bindings/Workspace";
import type { RoomRevealed } from "../ipc/bindings/RoomRevealed";

const rec = recorded as unknown as Record<"facilitator" | "ana" | "ben", RoomServerMessage[]>;
const ws = (rec.ana.find((m) => m.type === "model" && m.reply.kind === "full") as {
  reply: { workspace: Workspace };
}).reply.workspace;
/** The rounds of each state the room sent to a person, newest first. */
function rounds(msgs: RoomServerMessage[], state: string): RoomRound[] {
  return msgs
    .flatMap((m) => (m.type === "state" ? m.rounds : []))
    .filter((r) => r.state === state)
    .reverse();
}

test("before the reveal a participant sees who answered and their own answer only", () => {
  const open = rounds(rec.ben, "open")[0]!;
  expect(open.answered.length).toBe(2);
  render(<AnswerRound round={open} ws={ws} onAnswer={() => {}} />);
  expect(screen.getByRole("heading", { name: open.label })).toBeInTheDocument();
  expect(screen.getByText(/Answered \(2\)/).parentElement).toHaveTextContent("Ana, <b>Ben</b>");
  expect(screen.getByText(/Your answer:/)).toHaveTextContent("5 d");
  // Ana's 3 is nowhere on Ben's page.
  expect(document.body.textContent).not.toMatch(/\b3 d\b/);
  expect(document.querySelector("b")).toBeNull();
});

test("an answer is sent as a number in the question's unit", async () => {
  const open = rounds(rec.ana, "open").at(-1)!;
  const sent: unknown[] = [];
  render(<AnswerRound round={open} ws={ws} onAnswer={(a) => sent.push(a)} />);
  expect(screen.getByText("d")).toHaveClass("unit");
  await userEvent.type(screen.getByRole("textbox", { name: /your answer/i }), "2,5");
  await userEvent.click(screen.getByRole("button", { name: "Send" }));
  expect(sent).toEqual([{ kind: "number", value: 2.5 }]);
  await userEvent.clear(screen.getByRole("textbox", { name: /your answer/i }));
  await userEvent.type(screen.getByRole("textbox", { name: /your answer/i }), "soon");
  await userEvent.click(screen.getByRole("button", { name: "Send" }));
  expect(screen.getByText(/Type a number/)).toBeInTheDocument();
  expect(sent.length).toBe(1);
});

test("after the reveal: every answer, the median and the middle half, as the room computed", () => {
  const round = rounds(rec.ana, "revealed")[0]!;
  const s = round.revealed!.spread!;
  // 3 and 5: median (3 + 5) / 2 = 4, hinges 3 and 5.
  expect([s.median, s.lower_quartile, s.upper_quartile]).toEqual([4, 3, 5]);
  render(<AnswerRound round={round} ws={ws} onAnswer={() => {}} />);
  expect(screen.getByText(/Median/)).toHaveTextContent("Median 4 d");
  expect(screen.getByText(/middle half/)).toHaveTextContent("3 to 5 d");
  const list = document.querySelector(".answers")!;
  expect(within(list as HTMLElement).getAllByRole("listitem").map((li) => li.textContent)).toEqual(
    round.revealed!.answers.map((a) => `${a.name} ${a.text}`),
  );
  expect(document.querySelectorAll("svg.dots circle").length).toBe(2);
  expect(document.querySelector("b")).toBeNull();
});

test("an outlier is marked, with the hint to ask why", () => {
  const round = rounds(rec.ana, "revealed")[0]!;
  const revealed: RoomRevealed = {
    ...round.revealed!,
    answers: round.revealed!.answers.map((a, i) => ({ ...a, outlier: i === 1 })),
    spread: { ...round.revealed!.spread!, outliers: [5] },
  };
  render(<AnswerRound round={{ ...round, revealed }} ws={ws} onAnswer={() => {}} />);
  expect(screen.getByText(/ask them why/).closest("li")).toHaveClass("outlier");
  expect(document.querySelectorAll("svg.dots circle.out").length).toBe(1);
});

test("the facilitator accepts the median with one click", async () => {
  const round = rounds(rec.facilitator, "revealed")[0]!;
  const sent: unknown[] = [];
  render(<RunRound round={round} ws={ws} send={(m) => sent.push(m)} />);
  await userEvent.click(screen.getByRole("button", { name: "Accept the median: 4 d" }));
  expect(sent).toEqual([{ type: "accept", round: round.id, value: 4 }]);
});

test("a WSJF score is picked on the Fibonacci scale", async () => {
  const open = rounds(rec.ana, "open")[0]!;
  const round: RoomRound = { ...open, question: { kind: "initiative_score", initiative: "x", field: "job_size" } };
  const sent: unknown[] = [];
  render(<AnswerRound round={round} ws={ws} onAnswer={(a) => sent.push(a)} />);
  const group = screen.getByRole("group", { name: "Your score" });
  expect(within(group).getAllByRole("button").map((b) => b.textContent)).toEqual(["1", "2", "3", "5", "8", "13", "20"]);
  await userEvent.click(within(group).getByRole("button", { name: "8" }));
  expect(sent).toEqual([{ kind: "number", value: 8 }]);
});

test("a bottleneck vote offers the stream's stages as buttons", async () => {
  const open = rounds(rec.ana, "open")[0]!;
  const round: RoomRound = { ...open, yours: undefined, question: { kind: "bottleneck", stream: "rma" } };
  const sent: unknown[] = [];
  render(<AnswerRound round={round} ws={ws} onAnswer={(a) => sent.push(a)} />);
  const names = ws.snapshot.view.model.streams[0]!.stages.map((s) => s.name);
  const group = screen.getByRole("group", { name: "The bottleneck" });
  expect(within(group).getAllByRole("button").map((b) => b.textContent)).toEqual(names);
  await userEvent.click(within(group).getByRole("button", { name: names[1] }));
  expect(sent).toEqual([{ kind: "choice", stage: ws.snapshot.view.model.streams[0]!.stages[1]!.id }]);
});
