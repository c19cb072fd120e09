"""Scrapy spiders (SPIDER_MODULES)."""
