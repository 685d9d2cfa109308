import { answerShapeOf, taskAnswerBreach } from "../src/verify/answer-shape";
import { TaskPendingError } from "../src/index";
import type { Exchange } from "../src/verify/exchange";

const exchange = (json: unknown): Exchange =>
  ({ status: 200, headers: {}, text: JSON.stringify(json), json, requestBody: {} }) as unknown as Exchange;

describe("verify: a synchronous page's valid request may be answered with a task", () => {
  const task = exchange({ code: 200, message: "success", data: { task_id: "cgt-1", model: "m" } });
  const video = exchange({ created: 1, data: [{ url: "https://cdn.example/v.mp4" }] });

  test("the answer's shape: a task id without a video URL is a task; a video is a video", () => {
    expect(answerShapeOf(task)).toBe("task");
    expect(answerShapeOf(video)).toBe("video");
    expect(answerShapeOf(exchange({ task_id: "t", data: [{ url: "https://cdn.example/v.mp4" }] }))).toBe("video");
  });

  test("the client must report a task answer as TaskPendingError with the same id, never as a result", () => {
    expect(taskAnswerBreach(new TaskPendingError({ taskId: "cgt-1", status: "submitted" }), task)).toBeUndefined();
    expect(taskAnswerBreach(new TaskPendingError({ taskId: "cgt-2", status: "submitted" }), task)).toMatch(
      /answered task cgt-1, and the client did not report it as TaskPendingError \(TaskPendingError: /,
    );
    expect(taskAnswerBreach(task.json, task)).toMatch(/did not report it as TaskPendingError \(a result\)/);
    expect(taskAnswerBreach(video.json, video)).toBeUndefined();
  });
});
