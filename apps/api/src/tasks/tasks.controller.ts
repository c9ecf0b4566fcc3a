import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import type { Task } from '@tandem/domain';
import type { AuthedRequest } from '../auth/auth.guard';
import { Allow } from '../auth/auth.guard';
import { PATIENT_WORK_ROLES } from '../auth/roles';
import { ZodPipe } from '../common/zod-pipe';
import type { CompleteTaskBody, ListTasksQuery } from './tasks.schemas';
import { completeTaskBodySchema, listTasksQuerySchema, reassignBodySchema, taskIdSchema } from './tasks.schemas';
import { TasksService } from './tasks.service';

@Controller('api/v1/tasks')
@Allow(...PATIENT_WORK_ROLES)
export class TasksController {
  constructor(@Inject(TasksService) private readonly tasks: TasksService) {}

  @Get()
  list(@Query(new ZodPipe(listTasksQuerySchema, 'query')) q: ListTasksQuery, @Req() req: AuthedRequest): Promise<{ items: Task[]; nextCursor: string | null }> {
    return this.tasks.list(q, req.principal!);
  }

  @Get(':id')
  get(@Param('id', new ZodPipe(taskIdSchema, 'task id')) id: string, @Req() req: AuthedRequest): Promise<Task> {
    return this.tasks.get(id, req.principal!);
  }

  @Post(':id/claim')
  @HttpCode(200)
  claim(@Param('id', new ZodPipe(taskIdSchema, 'task id')) id: string, @Req() req: AuthedRequest): Promise<Task> {
    return this.tasks.claim(id, req.principal!);
  }

  @Post(':id/unclaim')
  @HttpCode(200)
  unclaim(@Param('id', new ZodPipe(taskIdSchema, 'task id')) id: string, @Req() req: AuthedRequest): Promise<Task> {
    return this.tasks.unclaim(id, req.principal!);
  }

  @Post(':id/reassign')
  @HttpCode(200)
  reassign(
    @Param('id', new ZodPipe(taskIdSchema, 'task id')) id: string,
    @Body(new ZodPipe(reassignBodySchema, 'body')) body: { to: string },
    @Req() req: AuthedRequest,
  ): Promise<Task> {
    return this.tasks.reassign(id, body.to, req.principal!);
  }

  @Post(':id/complete')
  @HttpCode(200)
  complete(
    @Param('id', new ZodPipe(taskIdSchema, 'task id')) id: string,
    @Body(new ZodPipe(completeTaskBodySchema, 'body')) body: CompleteTaskBody,
    @Req() req: AuthedRequest,
  ): Promise<Task> {
    return this.tasks.complete(id, body, req.principal!);
  }
}
