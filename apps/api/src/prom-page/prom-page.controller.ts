import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { promPageHtml } from '@tandem/prom-page';
import { Public } from '../auth/auth.guard';
import { ZodPipe } from '../common/zod-pipe';
import type { PromAnswers } from './prom-page.schemas';
import { langQuerySchema, promAnswersSchema } from './prom-page.schemas';
import type { OpenedLink, Submitted } from './prom-page.service';
import { PromPageService } from './prom-page.service';

/** HTTP status of each state a link can be in: gone for good (410), never valid (404). */
const STATUS: Record<string, number> = { open: 200, submitted: 202, invalid: 404 };

/**
 * The patient's PROM page, reached from the link in a prom-request or reminder: no account, the
 * sealed token is the only key (docs/patient-page.md). Rate-limited per client (app.ts).
 */
@Controller()
@Public()
export class PromPageController {
  constructor(@Inject(PromPageService) private readonly page: PromPageService) {}

  /** The page itself: the same static document for every link; it reads its token from the address. */
  @Get('p/:token')
  html(@Res() res: Response): void {
    res.setHeader('cache-control', 'no-store');
    res.sendFile(promPageHtml);
  }

  @Get('api/p/:token')
  async open(@Param('token') token: string, @Query(new ZodPipe(langQuerySchema, 'query')) q: { lang?: string }, @Res() res: Response): Promise<void> {
    // The token's shape and length are checked where it is opened (sealed tokens), once.
    send(res, await this.page.open(token, q.lang));
  }

  @Post('api/p/:token')
  @HttpCode(202)
  async submit(@Param('token') token: string, @Body(new ZodPipe(promAnswersSchema, 'answers')) body: PromAnswers, @Res() res: Response): Promise<void> {
    send(res, await this.page.submit(token, body));
  }
}

function send(res: Response, r: OpenedLink | Submitted): void {
  res.setHeader('cache-control', 'no-store');
  const status = STATUS[r.state] ?? 410;
  res.status(status).json(status >= 400 ? { error: r.state, message: `this link cannot be answered (${r.state})`, ...r } : r);
}
